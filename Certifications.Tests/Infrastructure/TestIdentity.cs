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

    /// <summary>The policy of Certifications.Portal/Security/PortalSecurity.cs.</summary>
    public static void PortalPolicy(IdentityOptions options)
    {
        options.User.RequireUniqueEmail = true;
        options.Password.RequiredLength = 12;
        options.Password.RequiredUniqueChars = 4;
        options.Password.RequireDigit = false;
        options.Password.RequireLowercase = false;
        options.Password.RequireUppercase = false;
        options.Password.RequireNonAlphanumeric = false;
        options.Lockout.MaxFailedAccessAttempts = 5;
        options.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
        options.Lockout.AllowedForNewUsers = true;
    }
}
