using Bunit;
using Bunit.TestDoubles;
using Certifications.Core;
using System.Security.Claims;
using Certifications.Core.Persistence;
using Certifications.Core.Security;
using Certifications.Portal.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using MudBlazor;
using MudBlazor.Services;

namespace Certifications.Tests.Infrastructure;

/// <summary>
/// bUnit with MudBlazor's services, loose JS interop, a popover provider, and the real Core services on a private
/// database (SQLite in memory, or PostgreSQL: <see cref="TestProvider"/>). MudBlazor's services are only async-disposable, so the context is disposed asynchronously.
/// </summary>
public abstract class ComponentTestContext : IAsyncLifetime
{
    protected FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));

    protected BunitContext Context { get; } = new();

    protected TestDatabase Database { get; private set; } = null!;

    protected BunitAuthorizationContext Authorization { get; private set; } = null!;

    /// <summary>Who the rendered components see as signed in, with the claims the portal's sign-in gives.</summary>
    protected void SignInAs(string email, int? learnerId, params string[] roles)
    {
        Authorization.SetAuthorized(email);
        Authorization.SetRoles(roles);
        var claims = new List<Claim> { new(ClaimTypes.Email, email), new(PortalClaims.DisplayName, email) };
        if (learnerId is { } id)
        {
            claims.Add(new Claim(PortalClaims.LearnerId, id.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }

        Authorization.SetClaims([.. claims]);
    }

    /// <summary>What the test watches or holds up on the database's commands and transactions.</summary>
    protected virtual Microsoft.EntityFrameworkCore.Diagnostics.IInterceptor[] Interceptors => [];

    public virtual async Task InitializeAsync()
    {
        // On a database server a component's reads are real I/O, and the suite runs other work beside it on two cores:
        // give the waits for what a read brings room before failing (SQLite in memory answers at once).
        BunitContext.DefaultWaitTimeout = TimeSpan.FromSeconds(10);
        Database = await TestDatabase.CreateAsync(Interceptors);
        Context.JSInterop.Mode = JSRuntimeMode.Loose;
        Context.Services.AddMudServices();
        var configuration = new ConfigurationBuilder().Build();
        Context.Services.AddSingleton<IConfiguration>(configuration);
        Context.Services.AddCertificationsCore(configuration);
        Context.Services.AddSingleton<TimeProvider>(Time);
        Context.Services.AddSingleton<IDbContextFactory<CertificationsDbContext>>(Database.Factory);
        Context.Services.AddScoped<CurrentActor>();
        Authorization = Context.AddAuthorization();
        SignInAs("admin@example.com", learnerId: null, PortalRoles.Admin, PortalRoles.Learner);
        Context.Render<MudPopoverProvider>();
    }

    public virtual async Task DisposeAsync()
    {
        await Context.DisposeAsync();
        await Database.DisposeAsync();
    }
}
