using AngleSharp.Dom;
using Bunit;
using Certifications.Core.Auditing;
using Certifications.Core.Security;
using Certifications.Portal.Components.Pages.Admin.Users;
using Certifications.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace Certifications.Tests.Portal.Admin;

public sealed class UserListTests : ComponentTestContext
{
    private IRenderedComponent<MudDialogProvider> dialogs = null!;
    private string brunoId = null!;

    public override async Task InitializeAsync()
    {
        // Before the base class renders anything: bUnit takes no services after the first is resolved.
        Context.Services.AddTestIdentity();
        await base.InitializeAsync();
        await Context.Services.GetRequiredService<AccountSetup>().EnsureRolesAsync();
        dialogs = Context.Render<MudDialogProvider>();
        await CreateAsync("admin@example.com", "Ada Admin", PortalRoles.Admin);
        brunoId = await CreateAsync("bruno@example.com", "Bruno Manager", PortalRoles.Manager);
    }

    private async Task<string> CreateAsync(string email, string name, params string[] roles)
    {
        await using var scope = Context.Services.CreateAsyncScope();
        var outcome = await scope.ServiceProvider.GetRequiredService<UserAdministration>().CreateAsync(
            Actor.System, new NewUserRequest { Email = email, DisplayName = name, Roles = [PortalRoles.Learner, .. roles] });
        Assert.True(outcome.Succeeded, outcome.Message);
        return outcome.UserId!;
    }

    private async Task<PortalUser> LoadAsync(string id)
    {
        await using var db = Database.CreateContext();
        return await db.Users.AsNoTracking().SingleAsync(u => u.Id == id);
    }

    private static IElement RowOf(IRenderedComponent<UserList> cut, string name) =>
        cut.FindAll("tr").Single(r => r.QuerySelector("[data-test='user-name']")?.TextContent == name);

    private IElement DialogButton(string text) =>
        dialogs.FindAll("button").Single(b => b.TextContent.Trim() == text);

    private IReadOnlyList<string> Snackbars(Severity severity) =>
        [.. Context.Services.GetRequiredService<ISnackbar>().ShownSnackbars.Where(s => s.Severity == severity).Select(s => s.Message ?? "")];

    [Fact]
    public async Task RowsShowEachAccountWithRoleChipsLearnerAndADisabledChip()
    {
        await using (var scope = Context.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<UserAdministration>().DisableAsync(Actor.System, brunoId);
        }

        var cut = Context.Render<UserList>();

        cut.WaitForAssertion(() =>
        {
            Assert.Equal(["Ada Admin", "Bruno Manager"], cut.FindAll("[data-test='user-name']").Select(n => n.TextContent));
            var bruno = RowOf(cut, "Bruno Manager");
            Assert.Equal(["Manager", "Learner"], bruno.QuerySelectorAll("[data-test='role-chip']").Select(c => c.TextContent.Trim()));
            Assert.Contains("bruno@example.com", bruno.TextContent, StringComparison.Ordinal);
            Assert.NotNull(bruno.QuerySelector("[data-test='disabled-chip']"));
            Assert.NotNull(bruno.QuerySelector("[data-test='enable']"));
            var ada = RowOf(cut, "Ada Admin");
            Assert.Equal(["Admin", "Learner"], ada.QuerySelectorAll("[data-test='role-chip']").Select(c => c.TextContent.Trim()));
            Assert.Null(ada.QuerySelector("[data-test='disabled-chip']"));
        });
    }

    [Fact]
    public async Task TheNewUserDialogShowsAFieldMessageForABadEmailAndCreatesNothing()
    {
        var cut = Context.Render<UserList>();
        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("[data-test='user-name']").Count));

        await cut.InvokeAsync(() => cut.Find("[data-test='new-user']").Click());
        dialogs.WaitForAssertion(() => dialogs.Find("input[data-test='new-user-email']"));
        await dialogs.InvokeAsync(() => dialogs.Find("input[data-test='new-user-email']").Input("not-an-email"));
        await dialogs.InvokeAsync(() => dialogs.Find("input[data-test='new-user-name']").Input("Nora New"));
        await dialogs.InvokeAsync(() => dialogs.Find("[data-test='create-user']").Click());

        dialogs.WaitForAssertion(() =>
        {
            var email = dialogs.Find("input[data-test='new-user-email']");
            Assert.Equal("true", email.GetAttribute("aria-invalid"));
            Assert.Equal("Enter a valid email address, such as name@example.com.", email.Closest(".mud-input-control")!.QuerySelector(".mud-input-helper-text")!.TextContent.Trim());
            Assert.Equal("false", dialogs.Find("input[data-test='new-user-name']").GetAttribute("aria-invalid"));
        });
        await using var db = Database.CreateContext();
        Assert.Equal(2, await db.Users.CountAsync());
    }

    [Fact]
    public async Task AnEmailTheServerFindsTakenIsShownOnTheEmailFieldUntilItChanges()
    {
        var cut = Context.Render<UserList>();
        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("[data-test='user-name']").Count));

        await cut.InvokeAsync(() => cut.Find("[data-test='new-user']").Click());
        dialogs.WaitForAssertion(() => dialogs.Find("input[data-test='new-user-email']"));
        await dialogs.InvokeAsync(() => dialogs.Find("input[data-test='new-user-email']").Input("Bruno@Example.com"));
        await dialogs.InvokeAsync(() => dialogs.Find("input[data-test='new-user-name']").Input("Bruno Again"));
        await dialogs.InvokeAsync(() => dialogs.Find("[data-test='create-user']").Click());

        string EmailMessage() => dialogs.Find("input[data-test='new-user-email']").Closest(".mud-input-control")!
            .QuerySelector(".mud-input-helper-text")?.TextContent.Trim() ?? "";
        dialogs.WaitForAssertion(() => Assert.Equal("An account already signs in with Bruno@Example.com.", EmailMessage()));
        await dialogs.InvokeAsync(() => dialogs.Find("input[data-test='new-user-email']").Input("bruna@example.com"));
        dialogs.WaitForAssertion(() => Assert.Equal("The user signs in with it.", EmailMessage()));
        await using var db = Database.CreateContext();
        Assert.Equal(2, await db.Users.CountAsync());
    }

    [Fact]
    public async Task CreatingAnAccountShowsItsTemporaryPasswordOnceAndListsIt()
    {
        var cut = Context.Render<UserList>();
        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("[data-test='user-name']").Count));

        await cut.InvokeAsync(() => cut.Find("[data-test='new-user']").Click());
        dialogs.WaitForAssertion(() => dialogs.Find("input[data-test='new-user-email']"));
        await dialogs.InvokeAsync(() => dialogs.Find("input[data-test='new-user-email']").Input("nora@example.com"));
        await dialogs.InvokeAsync(() => dialogs.Find("input[data-test='new-user-name']").Input("Nora New"));
        await dialogs.InvokeAsync(() => dialogs.Find("[data-test='create-user']").Click());

        string password = "";
        dialogs.WaitForAssertion(() => password = dialogs.Find("input[data-test='temporary-password']").GetAttribute("value") ?? "");
        Assert.True(password.Length >= 12);
        Assert.Contains("shown only this once", dialogs.Markup, StringComparison.Ordinal);
        await using (var scope = Context.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
            Assert.True(await users.CheckPasswordAsync((await users.FindByEmailAsync("nora@example.com"))!, password));
        }

        await dialogs.InvokeAsync(() => DialogButton("I have copied it").Click());
        dialogs.WaitForAssertion(() => Assert.Empty(dialogs.FindAll("[data-test='temporary-password']")));
        cut.WaitForAssertion(() => Assert.Contains("Nora New", cut.FindAll("[data-test='user-name']").Select(n => n.TextContent)));
        Assert.Contains("The account of Nora New is created.", Snackbars(Severity.Success));
    }

    [Fact]
    public async Task EditingRolesSaysWhatWillHappenAndSavesThem()
    {
        var cut = Context.Render<UserList>();
        cut.WaitForAssertion(() => RowOf(cut, "Bruno Manager"));

        await cut.InvokeAsync(() => RowOf(cut, "Bruno Manager").QuerySelector("[data-test='edit-roles']")!.Click());
        dialogs.WaitForAssertion(() => dialogs.Find("input[data-test='role-Admin']"));
        await dialogs.InvokeAsync(() => dialogs.Find("input[data-test='role-Admin']").Change(true));
        await dialogs.InvokeAsync(() => dialogs.Find("input[data-test='role-Manager']").Change(false));

        dialogs.WaitForAssertion(() => Assert.StartsWith(
            "Gives Admin. Takes away Manager. Bruno Manager's open sessions end within a minute",
            dialogs.Find("[data-test='roles-summary']").TextContent,
            StringComparison.Ordinal));
        await dialogs.InvokeAsync(() => dialogs.Find("[data-test='save-roles']").Click());

        cut.WaitForAssertion(() => Assert.Equal(
            ["Admin", "Learner"],
            RowOf(cut, "Bruno Manager").QuerySelectorAll("[data-test='role-chip']").Select(c => c.TextContent.Trim())));
        Assert.Contains("The roles of Bruno Manager are changed.", Snackbars(Severity.Success));
    }

    [Fact]
    public async Task ANonAdminClickingAnActionIsRefusedByTheServiceAndNothingChanges()
    {
        var cut = Context.Render<UserList>();
        cut.WaitForAssertion(() => RowOf(cut, "Bruno Manager"));
        var before = await LoadAsync(brunoId);

        // The page was open when the admin role was taken away: the buttons are still there, the server still says no.
        SignInAs("lena@example.com", learnerId: null, PortalRoles.Learner);
        await cut.InvokeAsync(() => RowOf(cut, "Bruno Manager").QuerySelector("[data-test='disable']")!.Click());
        dialogs.WaitForAssertion(() => Assert.Contains("can no longer sign in", dialogs.Markup, StringComparison.Ordinal));
        await dialogs.InvokeAsync(() => DialogButton("Disable").Click());

        cut.WaitForAssertion(() => Assert.Contains("You do not have access to disabling accounts.", Snackbars(Severity.Error)));
        var after = await LoadAsync(brunoId);
        Assert.Equal((false, before.SecurityStamp), (after.IsDisabled, after.SecurityStamp));
        await using var db = Database.CreateContext();
        var denied = await db.AuditEntries.SingleAsync(e => e.Action == "AccessDenied");
        Assert.Equal("lena@example.com", denied.Actor);
        Assert.Empty(await db.AuditEntries.Where(e => e.Action == "Disabled").ToListAsync());
        Assert.Empty(Snackbars(Severity.Success));
    }
}
