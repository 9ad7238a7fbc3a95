namespace Certifications.Core.Security;

/// <summary>What the "New user" form edits. The service validates it again before saving anything.</summary>
public sealed class NewUserRequest
{
    public string Email { get; set; } = "";
    public string DisplayName { get; set; } = "";

    /// <summary>Every account is a learner; Manager and Admin are added to that.</summary>
    public HashSet<string> Roles { get; set; } = [PortalRoles.Learner];

    public static string NormalizeEmail(string email) => email.Trim().ToUpperInvariant();
}
