using System.Net;
using Certifications.Core.Persistence;
using Certifications.Core.Security;
using Certifications.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Certifications.Tests.Portal.Security;

public sealed class HardeningTests
{
    [Fact]
    public async Task EveryResponseCarriesTheSecurityHeaders()
    {
        await using var portal = new PortalFactory(seedDemoData: false);
        using var client = PortalSignIn.AnonymousClient(portal);

        foreach (var path in new[] { "/account/sign-in", "/no-such-page", "/" })
        {
            using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
            var csp = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
            Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
            Assert.Contains("script-src 'self'", csp, StringComparison.Ordinal);
            Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
            Assert.Equal("strict-origin-when-cross-origin", Assert.Single(response.Headers.GetValues("Referrer-Policy")));
        }
    }

    [Fact]
    public async Task OutsideDevelopmentTheAuthCookieIsSecureHttpOnlyAndSameSiteAndHstsIsSent()
    {
        await using var portal = new PortalFactory(seedDemoData: true, environment: "Production");
        using var client = PortalSignIn.AnonymousClient(portal, "https://portal.example.com");
        var (email, password) = await PortalSignIn.DemoAccountAsync(client, PortalRoles.Learner);

        using var response = await PortalSignIn.SubmitAsync(client, email, password);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var auth = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("certifications.auth=", StringComparison.Ordinal)).ToLowerInvariant();
        Assert.Contains("httponly", auth, StringComparison.Ordinal);
        Assert.Contains("secure", auth, StringComparison.Ordinal);
        Assert.Contains("samesite=lax", auth, StringComparison.Ordinal);
        Assert.Contains("max-age=31536000", Assert.Single(response.Headers.GetValues("Strict-Transport-Security")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task OutsideDemoModeTheSignInPageListsNoAccountAndNobodyCanSignIn()
    {
        await using var portal = new PortalFactory(seedDemoData: false);
        using var client = PortalSignIn.AnonymousClient(portal);

        var html = await client.GetStringAsync(new Uri("/account/sign-in", UriKind.Relative));
        using var attempt = await PortalSignIn.SubmitAsync(client, "admin@example.com", "certify-demo-2026");

        Assert.DoesNotContain("Demo accounts", html, StringComparison.Ordinal);
        Assert.DoesNotContain("certify-demo-2026", html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, attempt.StatusCode);
        Assert.Contains("The email or password is not right", await attempt.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ALearnerOnAnAdminPageGetsAnAuditedAccessDeniedPage()
    {
        await using var portal = new PortalFactory(seedDemoData: true);
        using var client = await PortalSignIn.AsAsync(portal, PortalRoles.Learner);

        using var response = await client.GetAsync(new Uri("/admin/automate/certifications", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("Access denied", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await using var db = await portal.Services.GetRequiredService<IDbContextFactory<CertificationsDbContext>>().CreateDbContextAsync();
        var entry = await db.AuditEntries.SingleAsync(e => e.Action == "AccessDenied");
        Assert.Equal(("bob@example.com", "/admin/automate/certifications"), (entry.Actor, entry.EntityId));
    }

    [Fact]
    public async Task FiveWrongPasswordsLockTheAccountEvenAgainstTheRightOne()
    {
        await using var portal = new PortalFactory(seedDemoData: true);
        using var client = PortalSignIn.AnonymousClient(portal);
        var (email, password) = await PortalSignIn.DemoAccountAsync(client, PortalRoles.Learner);

        for (var i = 0; i < 5; i++)
        {
            using var wrong = await PortalSignIn.SubmitAsync(client, email, "not-the-password");
        }

        using var right = await PortalSignIn.SubmitAsync(client, email, password);

        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
        Assert.Contains("locked for 15 minutes", await right.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ADisabledAccountCannotSignIn()
    {
        await using var portal = new PortalFactory(seedDemoData: true);
        using var client = PortalSignIn.AnonymousClient(portal);
        var (email, password) = await PortalSignIn.DemoAccountAsync(client, PortalRoles.Learner);
        await using (var scope = portal.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
            var user = await users.FindByEmailAsync(email);
            user!.IsDisabled = true;
            await users.UpdateAsync(user);
        }

        using var attempt = await PortalSignIn.SubmitAsync(client, email, password);
        using var guess = await PortalSignIn.SubmitAsync(client, email, "not-the-password");

        Assert.Contains("This account is disabled", await attempt.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var guessed = await guess.Content.ReadAsStringAsync();
        Assert.DoesNotContain("This account is disabled", guessed, StringComparison.Ordinal);
        Assert.Contains("The email or password is not right", guessed, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignInAttemptsBeyondTheLimitAreRefusedWithTooManyRequests()
    {
        await using var portal = new PortalFactory(seedDemoData: false, new Dictionary<string, string?> { ["Security:SignInAttemptsPerMinute"] = "3" });
        using var client = PortalSignIn.AnonymousClient(portal);
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            using var response = await PortalSignIn.SubmitAsync(client, $"someone{i}@example.com", "not-the-password");
            statuses.Add(response.StatusCode);
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], statuses);
    }

    [Fact]
    public async Task BehindALoadBalancerEachClientAddressHasItsOwnSignInLimit()
    {
        await using var portal = new PortalFactory(seedDemoData: false, new Dictionary<string, string?> { ["Security:SignInAttemptsPerMinute"] = "2" });
        using var first = PortalSignIn.AnonymousClient(portal);
        using var second = PortalSignIn.AnonymousClient(portal);
        first.DefaultRequestHeaders.Add("X-Forwarded-For", "203.0.113.5");
        second.DefaultRequestHeaders.Add("X-Forwarded-For", "203.0.113.6");
        var statuses = new List<HttpStatusCode>();
        foreach (var client in new[] { first, first, first, second })
        {
            using var response = await PortalSignIn.SubmitAsync(client, "someone@example.com", "not-the-password");
            statuses.Add(response.StatusCode);
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests, HttpStatusCode.OK], statuses);
    }

    [Fact]
    public async Task AKnownProxyThatIsNotAnAddressStopsThePortalAtStartUp()
    {
        await using var portal = new PortalFactory(seedDemoData: false, new Dictionary<string, string?> { ["ReverseProxy:KnownProxies:0"] = "balancer.example.com" });

        var error = Assert.ThrowsAny<Exception>(() => portal.CreateClient());

        Assert.Contains("ReverseProxy:KnownProxies lists something that is not an IP address.", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task DisablingAnAccountEndsItsOpenSessionAtTheNextCheck()
    {
        await using var portal = new PortalFactory(seedDemoData: true, new Dictionary<string, string?> { ["Security:RevalidationMinutes"] = "0" });
        using var client = await PortalSignIn.AsAsync(portal, PortalRoles.Learner);
        using (var before = await client.GetAsync(new Uri("/me", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        await using (var scope = portal.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
            var user = await users.FindByEmailAsync("bob@example.com");
            user!.IsDisabled = true;
            await users.UpdateAsync(user);
            await users.UpdateSecurityStampAsync(user);
        }

        using var after = await client.GetAsync(new Uri("/me", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
        Assert.Contains("/account/sign-in", after.Headers.Location!.ToString(), StringComparison.Ordinal);
    }
}
