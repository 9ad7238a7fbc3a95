using System.Net;
using Certifications.Core.Persistence;
using Certifications.Core.Security;
using Certifications.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Certifications.Tests.Portal.Security;

/// <summary>The keys protecting sign-in cookies live in the database: another instance on it, or a restart, keeps the user signed in.</summary>
public sealed class SharedKeysTests
{
    [Fact]
    public async Task ASignInOnOneInstanceHoldsOnAnotherInstanceOfTheSameDatabase()
    {
        await using var first = new PortalFactory(seedDemoData: true);
        var cookies = new CookieContainer();
        using var onFirst = first.CreateDefaultClient(new Uri("http://localhost"), new CookieContainerHandler(cookies));
        var (email, password) = await PortalSignIn.DemoAccountAsync(onFirst, PortalRoles.Learner);
        using (var signedIn = await PortalSignIn.SubmitAsync(onFirst, email, password))
        {
            Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        }

        await using var second = new PortalFactory(
            seedDemoData: false,
            new Dictionary<string, string?> { ["ConnectionStrings:Certifications"] = first.ConnectionString });
        using var onSecond = second.CreateDefaultClient(new Uri("http://localhost"), new CookieContainerHandler(cookies));
        using var page = await onSecond.GetAsync(new Uri("/me", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        await using var db = await first.Services.GetRequiredService<IDbContextFactory<CertificationsDbContext>>().CreateDbContextAsync();
        Assert.NotEmpty(await db.DataProtectionKeys.Select(k => k.FriendlyName).ToListAsync());
    }
}
