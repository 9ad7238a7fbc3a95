using AngleSharp.Dom;
using Bunit;
using Certifications.Core.Auditing;
using Certifications.Core.Security;
using Certifications.Portal.Components.Pages.Admin.Settings;
using Certifications.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace Certifications.Tests.Portal.Admin.Settings;

public sealed class ApiKeyListTests : ComponentTestContext
{
    private IRenderedComponent<MudDialogProvider> dialogs = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        dialogs = Context.Render<MudDialogProvider>();
    }

    private ApiKeys Keys => Context.Services.GetRequiredService<ApiKeys>();

    private IElement DialogButton(string text) =>
        dialogs.FindAll("button").Single(b => b.TextContent.Trim() == text);

    private static IElement RowOf(IRenderedComponent<ApiKeyList> cut, string name) =>
        cut.FindAll("tr").Single(r => r.QuerySelector("[data-test='api-key-name']")?.TextContent == name);

    [Fact]
    public async Task CreatingAKeyShowsItsSecretOnceAndListsItByItsPrefix()
    {
        var cut = Context.Render<ApiKeyList>();
        cut.WaitForAssertion(() => Assert.Contains("No API keys yet.", cut.Markup, StringComparison.Ordinal));

        await cut.InvokeAsync(() => cut.Find("[data-test='new-api-key']").Click());
        dialogs.WaitForAssertion(() => dialogs.Find("input[data-test='api-key-name-field']"));
        await dialogs.InvokeAsync(() => dialogs.Find("input[data-test='api-key-name-field']").Input("Learning platform"));
        await dialogs.InvokeAsync(() => dialogs.Find("[data-test='create-api-key']").Click());

        var secret = "";
        dialogs.WaitForAssertion(() =>
        {
            secret = dialogs.Find("input[data-test='api-key-secret']").GetAttribute("value") ?? "";
            Assert.StartsWith(ApiKeys.SecretPrefix, secret, StringComparison.Ordinal);
        });
        Assert.Equal("Learning platform", (await Keys.AuthenticateAsync(secret))?.Name);
        await dialogs.InvokeAsync(() => DialogButton("I have copied it").Click());
        dialogs.WaitForAssertion(() => Assert.Empty(dialogs.FindAll("[data-test='api-key-secret']")));
        cut.WaitForAssertion(() =>
        {
            var row = RowOf(cut, "Learning platform");
            Assert.Equal(secret[..8] + "…", row.QuerySelector("[data-test='api-key-prefix']")!.TextContent);
            Assert.DoesNotContain(secret, cut.Markup, StringComparison.Ordinal);
            Assert.Contains("Never", row.TextContent, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task ANameAlreadyActiveIsRefusedInTheDialogAndNothingIsCreated()
    {
        Assert.True((await Keys.CreateAsync(Actor.System, new ApiKeyDraft { Name = "Learning platform" })).Succeeded);
        var cut = Context.Render<ApiKeyList>();

        await cut.InvokeAsync(() => cut.Find("[data-test='new-api-key']").Click());
        dialogs.WaitForAssertion(() => dialogs.Find("input[data-test='api-key-name-field']"));
        await dialogs.InvokeAsync(() => dialogs.Find("input[data-test='api-key-name-field']").Input("learning platform"));
        await dialogs.InvokeAsync(() => dialogs.Find("[data-test='create-api-key']").Click());

        dialogs.WaitForAssertion(() => Assert.Contains("An active key is already named learning platform.", dialogs.Markup, StringComparison.Ordinal));
        Assert.Empty(dialogs.FindAll("[data-test='api-key-secret']"));
        await using var db = Database.CreateContext();
        Assert.Equal(1, await db.ApiKeys.CountAsync());
    }

    [Fact]
    public async Task RevokingAsksFirstThenTheKeyStopsWorking()
    {
        var secret = (await Keys.CreateAsync(Actor.System, new ApiKeyDraft { Name = "Learning platform" })).Secret!.Value;
        var cut = Context.Render<ApiKeyList>();
        cut.WaitForAssertion(() => RowOf(cut, "Learning platform"));

        await cut.InvokeAsync(() => RowOf(cut, "Learning platform").QuerySelector("[data-test='revoke']")!.Click());
        dialogs.WaitForAssertion(() => DialogButton("Cancel"));
        await dialogs.InvokeAsync(() => DialogButton("Cancel").Click());
        Assert.NotNull(await Keys.AuthenticateAsync(secret));

        await cut.InvokeAsync(() => RowOf(cut, "Learning platform").QuerySelector("[data-test='revoke']")!.Click());
        dialogs.WaitForAssertion(() => DialogButton("Revoke"));
        await dialogs.InvokeAsync(() => DialogButton("Revoke").Click());

        cut.WaitForAssertion(() => Assert.NotNull(RowOf(cut, "Learning platform").QuerySelector("[data-test='revoked-chip']")));
        Assert.Null(RowOf(cut, "Learning platform").QuerySelector("[data-test='revoke']"));
        Assert.Null(await Keys.AuthenticateAsync(secret));
    }

    [Fact]
    public async Task ANonAdminSeesNoKeysAndIsToldWhy()
    {
        Assert.True((await Keys.CreateAsync(Actor.System, new ApiKeyDraft { Name = "Learning platform" })).Succeeded);
        SignInAs("lena@example.com", learnerId: 7, PortalRoles.Learner);

        var cut = Context.Render<ApiKeyList>();

        cut.WaitForAssertion(() => Assert.Contains("No API keys yet.", cut.Markup, StringComparison.Ordinal));
        Assert.Contains(Context.Services.GetRequiredService<ISnackbar>().ShownSnackbars, s => s.Severity == Severity.Error);
    }
}
