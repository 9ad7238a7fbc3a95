using System.Globalization;
using System.Security.Claims;
using Certifications.Core.Security;

namespace Certifications.Core.Auditing;

/// <summary>
/// Who is acting, as the server knows it from the signed-in user: named in the audit trail, and checked by every service
/// before it reads or changes anything.
/// </summary>
public sealed record Actor(string Name, int? LearnerId, IReadOnlySet<string> Roles)
{
    /// <summary>The portal itself: the scheduler, start-up work and demo data. It may do what an admin may.</summary>
    public static Actor System { get; } = new("system", null, new HashSet<string> { PortalRoles.Admin });

    public static Actor Anonymous { get; } = new("anonymous", null, new HashSet<string>());

    public bool IsAdmin => Roles.Contains(PortalRoles.Admin);

    public bool IsManager => Roles.Contains(PortalRoles.Manager);

    public bool IsApiClient => Roles.Contains(PortalRoles.ApiClient);

    public bool IsSignedIn => this != Anonymous && (Roles.Count > 0 || LearnerId is not null);

    public static Actor Admin(string name, int? learnerId = null) => new(name, learnerId, new HashSet<string> { PortalRoles.Admin, PortalRoles.Learner });

    /// <summary>Another system acting with an API key, named after the key in the audit trail. It is no learner.</summary>
    public static Actor ApiClient(string keyName) => new(keyName, null, new HashSet<string> { PortalRoles.ApiClient });

    public static Actor From(ClaimsPrincipal? principal)
    {
        if (principal?.Identity?.IsAuthenticated != true)
        {
            return Anonymous;
        }

        var name = principal.FindFirst(ClaimTypes.Email)?.Value ?? principal.Identity.Name ?? "unknown";
        int? learnerId = int.TryParse(principal.FindFirst(PortalClaims.LearnerId)?.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var id) ? id : null;
        var roles = principal.FindAll(ClaimTypes.Role).Select(c => c.Value).ToHashSet();
        return new Actor(name, learnerId, roles);
    }
}
