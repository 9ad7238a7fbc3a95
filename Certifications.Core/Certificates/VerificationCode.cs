using System.Security.Cryptography;
using System.Text;

namespace Certifications.Core.Certificates;

/// <summary>
/// Verification codes: 80 bits from the system's cryptographic generator, written as 16 Crockford base32 digits in
/// groups of four (<c>7K2M-QX9D-41HF-ZP3A</c>). Too many to guess within any rate limit, short enough to type from paper.
/// Reading one forgives what people type: case, separators, and the letters Crockford maps to digits (O to 0, I and L to 1).
/// </summary>
public static class VerificationCode
{
    private const string Digits = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    /// <summary>A new code as stored: upper case, without separators.</summary>
    public static string New()
    {
        Span<byte> bytes = stackalloc byte[10];
        RandomNumberGenerator.Fill(bytes);
        var code = new StringBuilder(Certificate.CodeLength);
        ulong buffer = 0;
        var bits = 0;
        foreach (var b in bytes)
        {
            buffer = (buffer << 8) | b;
            bits += 8;
            while (bits >= 5)
            {
                bits -= 5;
                code.Append(Digits[(int)((buffer >> bits) & 31)]);
            }
        }

        return code.ToString();
    }

    /// <summary>A stored code as printed and shown: four groups of four.</summary>
    public static string Display(string code)
    {
        ArgumentNullException.ThrowIfNull(code);
        return code.Length != Certificate.CodeLength
            ? code
            : string.Join('-', code[..4], code[4..8], code[8..12], code[12..]);
    }

    /// <summary>What someone typed, as stored; null when it cannot be a code at all.</summary>
    public static string? Normalize(string? typed)
    {
        if (string.IsNullOrWhiteSpace(typed) || typed.Length > 40)
        {
            return null;
        }

        var code = new StringBuilder(Certificate.CodeLength);
        foreach (var c in typed.ToUpperInvariant())
        {
            var digit = c switch
            {
                '-' or ' ' => (char?)null,
                'O' => '0',
                'I' or 'L' => '1',
                _ when Digits.Contains(c, StringComparison.Ordinal) => c,
                _ => '!',
            };
            if (digit == '!')
            {
                return null;
            }

            if (digit is { } d)
            {
                code.Append(d);
            }
        }

        return code.Length == Certificate.CodeLength ? code.ToString() : null;
    }
}
