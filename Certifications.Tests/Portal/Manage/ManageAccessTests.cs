using System.Net;
using Certifications.Tests.Infrastructure;

namespace Certifications.Tests.Portal.Manage;

/// <summary>
/// An admin who manages nobody (the first administrator of a new installation) may open a certification's learners
/// under /manage, but not the manager's own team pages.
/// </summary>
public sealed class ManageAccessTests : IAsyncLifetime
{
    private const string Email = "first.admin@example.com";
    private const string Password = "a long first passphrase";

    private PortalFactory Portal { get; } = new(seedDemoData: false, new Dictionary<string, string?>
    {
        ["Bootstrap:AdminEmail"] = Email,
        ["Bootstrap:AdminPassword"] = Password,
    });

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await Portal.DisposeAsync();

    [Fact]
    public async Task AnAdminWhoManagesNobodyOpensACertificationsLearnersButNotTheTeamPages()
    {
        using var client = PortalSignIn.AnonymousClient(Portal);
        Assert.Equal(HttpStatusCode.Redirect, (await PortalSignIn.SubmitAsync(client, Email, Password)).StatusCode);

        using var certification = await client.GetAsync(new Uri("/manage/certifications/1", UriKind.Relative));
        using var team = await client.GetAsync(new Uri("/manage", UriKind.Relative));
        using var member = await client.GetAsync(new Uri("/manage/learners/1", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, certification.StatusCode);
        Assert.Contains("Page not found", await certification.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal((HttpStatusCode.Forbidden, HttpStatusCode.Forbidden), (team.StatusCode, member.StatusCode));
    }
}
