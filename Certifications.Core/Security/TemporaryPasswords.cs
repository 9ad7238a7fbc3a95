using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;

namespace Certifications.Core.Security;

/// <summary>
/// Passwords an admin hands over once: from the operating system's cryptographic generator, and within any password
/// policy by construction, so no generated password is ever refused.
/// </summary>
internal static class TemporaryPasswords
{
    public const int MinimumLength = 16;

    // Characters that are easy to read aloud and to type: no 0/O, 1/l/I.
    private const string Lower = "abcdefghijkmnopqrstuvwxyz";
    private const string Upper = "ABCDEFGHJKLMNPQRSTUVWXYZ";
    private const string Digits = "23456789";
    private const string Symbols = "!#%+-=?@";

    public static string Generate(PasswordOptions policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var pool = (Lower + Upper + Digits + Symbols).ToCharArray();
        var length = Math.Max(MinimumLength, Math.Max(policy.RequiredLength, policy.RequiredUniqueChars));
        if (length > pool.Length)
        {
            throw new InvalidOperationException($"The password policy asks for {length} characters; temporary passwords have at most {pool.Length}.");
        }

        // One of each kind meets every composition rule; distinct characters meet any unique-character rule.
        var chosen = new List<char> { Pick(Lower), Pick(Upper), Pick(Digits), Pick(Symbols) };
        var rest = pool.Except(chosen).ToArray();
        RandomNumberGenerator.Shuffle(rest.AsSpan());
        chosen.AddRange(rest.Take(length - chosen.Count));
        var password = chosen.ToArray();
        RandomNumberGenerator.Shuffle(password.AsSpan());
        return new string(password);
    }

    private static char Pick(string characters) => characters[RandomNumberGenerator.GetInt32(characters.Length)];
}
