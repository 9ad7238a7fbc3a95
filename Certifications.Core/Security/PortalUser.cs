using Microsoft.AspNetCore.Identity;

namespace Certifications.Core.Security;

/// <summary>A person who signs in. Admins and managers are learners too, so every account links to its learner record.</summary>
public sealed class PortalUser : IdentityUser
{
    public int? LearnerId { get; set; }
    public Catalog.Learner? Learner { get; set; }
    public required string DisplayName { get; set; }

    /// <summary>A disabled account cannot sign in, and open sessions lose access at their next revalidation.</summary>
    public bool IsDisabled { get; set; }
}

public static class PortalRoles
{
    public const string Admin = "Admin";
    public const string Manager = "Manager";
    public const string Learner = "Learner";

    /// <summary>
    /// Another system sending results with an API key. Held by the key's actor, never by a user account, so it is not
    /// among the roles an admin can give.
    /// </summary>
    public const string ApiClient = "ApiClient";

    /// <summary>The roles of user accounts.</summary>
    public static IReadOnlyList<string> All { get; } = [Admin, Manager, Learner];
}

/// <summary>Claims the portal adds to a signed-in user, read back by <see cref="Auditing.Actor"/>.</summary>
public static class PortalClaims
{
    public const string LearnerId = "certifications:learner-id";
    public const string DisplayName = "certifications:display-name";
}
