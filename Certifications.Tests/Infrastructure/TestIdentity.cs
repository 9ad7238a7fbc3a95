using Certifications.Core.Persistence;
using Certifications.Core.Security;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Certifications.Tests.Infrastructure;

/// <summary>ASP.NET Core Identity on the test database, with the password and lockout policy the portal configures.</summary>
public static class TestIdentity
{
    /// <summary>
    /// A real UserManager whose stores use a context from the registered context factory: in tests, the factory of a
    /// <see cref="TestDatabase"/>, so Identity reads and writes the same in-memory database as the services.
    /// </summary>
    public static IServiceCollection AddTestIdentity(this IServiceCollection services)
    {
        services.AddLogging();
        services.AddScoped(provider => provider.GetRequiredService<IDbContextFactory<CertificationsDbContext>>().CreateDbContext());
        services.AddIdentityCore<PortalUser>(PortalPolicy)
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<CertificationsDbContext>();
        return services;
    }

    /// <summary>The portal's own account policy, so tests and portal cannot drift apart.</summary>
    public static void PortalPolicy(IdentityOptions options) => Certifications.Portal.Security.PortalSecurity.AccountPolicy(options);
}
