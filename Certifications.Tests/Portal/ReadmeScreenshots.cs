using Certifications.Core.Demo;
using Certifications.Core.Persistence;
using Certifications.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Certifications.Tests.Portal;

/// <summary>Runs only when <see cref="ReadmeScreenshots.Variable"/> names the folder to write the README's screenshots to.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ScreenshotsFactAttribute : FactAttribute
{
    public ScreenshotsFactAttribute()
    {
        if (string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(ReadmeScreenshots.Variable)))
        {
            Skip = $"Takes the README's screenshots: set {ReadmeScreenshots.Variable}=docs/screenshots to write them.";
        }
    }
}

/// <summary>
/// The README's pictures, taken from the demo data in Chromium at 1366 × 800 (and one at a phone's width):
/// <c>CERTIFICATIONS_SCREENSHOTS=docs/screenshots dotnet test Certifications.Tests --filter ReadmeScreenshots</c>.
/// A relative folder is taken from the repository's root. The suite itself never writes them.
/// </summary>
public sealed class ReadmeScreenshots
{
    public const string Variable = "CERTIFICATIONS_SCREENSHOTS";

    private const int MaxBytes = 300 * 1024;

    private static string Folder()
    {
        var setting = Environment.GetEnvironmentVariable(Variable)!;
        if (Path.IsPathRooted(setting))
        {
            return setting;
        }

        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Certifications.sln")))
        {
            root = root.Parent;
        }

        return Path.Combine(root?.FullName ?? Environment.CurrentDirectory, setting);
    }

    [ScreenshotsFact]
    public async Task TheMainPagesAreTakenFromTheDemoData()
    {
        var folder = Directory.CreateDirectory(Folder()).FullName;

        // The scheduler on, so that its page shows the start-up run.
        await using var portal = new PortalFactory(seedDemoData: true, new Dictionary<string, string?> { ["Scheduler:Enabled"] = "true" });
        var address = portal.StartOnRealPort();
        Assertions.SetDefaultExpectTimeout(15_000);
        int workplaceSafety, bob, roster;
        await using (var db = await portal.Services.GetRequiredService<IDbContextFactory<CertificationsDbContext>>().CreateDbContextAsync())
        {
            workplaceSafety = await db.Certifications.Where(c => c.Name == "Workplace Safety").Select(c => c.Id).SingleAsync();
            bob = await db.Learners.Where(l => l.Email == DemoDataBuilder.BobEmail).Select(l => l.Id).SingleAsync();

            // The demo manager is the one with most reports; their roster, the certification most of them hold.
            var manager = await db.Learners.Where(l => l.ManagerId != null).GroupBy(l => l.ManagerId).OrderByDescending(g => g.Count()).Select(g => g.Key).FirstAsync();
            roster = await db.Assignments
                .Where(a => db.Learners.Any(l => l.Id == a.LearnerId && l.ManagerId == manager))
                .GroupBy(a => a.CertificationId).OrderByDescending(g => g.Count()).Select(g => g.Key).FirstAsync();
        }

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await BrowserFixture.LaunchChromiumAsync(playwright);
        var written = new List<string>();

        async Task ShootAsync(string file, string role, string path, Func<IPage, Task> ready, int width = 1366, int height = 800)
        {
            await using var context = await browser.NewContextAsync(new BrowserNewContextOptions
            {
                BaseURL = address.ToString(),
                ViewportSize = new ViewportSize { Width = width, Height = height },
            });
            var page = await context.NewPageAsync();
            await BrowserFixture.SignInAsync(page, role);
            await page.GotoAsync(path);
            await page.Locator("[data-interactive='true']").WaitForAsync();
            await ready(page);
            var target = Path.Combine(folder, file);
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = target, Animations = ScreenshotAnimations.Disabled });
            written.Add(target);
        }

        await ShootAsync("admin-certifications.png", "Admin", "/admin/automate/certifications",
            page => Assertions.Expect(page.Locator("[data-test='certification-name']", new() { HasText = "Workplace Safety" })).ToBeVisibleAsync());
        await ShootAsync("wizard.png", "Admin", "/admin/automate/certifications/new", async page =>
        {
            await page.GetByRole(AriaRole.Textbox, new() { Name = "Name" }).FillAsync("Forklift Safety Refresher");
            await page.GetByRole(AriaRole.Textbox, new() { Name = "Description" }).FillAsync("Yearly refresher for warehouse staff.");
            await page.GetByText("Step 3 - Course Requirements").ClickAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Step 3 – Course Requirements" })).ToBeVisibleAsync();
        });
        await ShootAsync("certification-page.png", "Admin", $"/admin/automate/certifications/{workplaceSafety}",
            page => Assertions.Expect(page.GetByRole(AriaRole.Textbox, new() { Name = "Name" })).ToHaveValueAsync("Workplace Safety"));
        await ShootAsync("learner-card.png", "Admin", $"/admin/learners/{bob}",
            page => Assertions.Expect(page.Locator("[data-test='panel-certification']").First).ToBeVisibleAsync());
        await ShootAsync("manager-roster.png", "Manager", $"/manage/certifications/{roster}",
            page => Assertions.Expect(page.Locator("[data-test='roster-status']").First).ToBeVisibleAsync());
        await ShootAsync("learner-me.png", "Learner", "/me",
            page => Assertions.Expect(page.Locator("[data-test='panel-certification']").First).ToBeVisibleAsync());
        await ShootAsync("scheduler.png", "Admin", "/admin/settings/scheduler",
            page => Assertions.Expect(page.Locator("[data-test='recent-runs'] tbody tr").First).ToBeVisibleAsync());
        await ShootAsync("api-keys.png", "Admin", "/admin/settings/api-keys",
            page => Assertions.Expect(page.Locator("[data-test='new-api-key']")).ToBeVisibleAsync());
        await ShootAsync("learner-me-phone.png", "Learner", "/me",
            page => Assertions.Expect(page.Locator("[data-test='panel-certification']").First).ToBeVisibleAsync(), width: 390, height: 844);

        foreach (var file in written)
        {
            var bytes = await File.ReadAllBytesAsync(file);
            Assert.True(bytes.Length < MaxBytes, $"{Path.GetFileName(file)} is {bytes.Length / 1024} KB; keep each under {MaxBytes / 1024} KB.");
        }
    }
}
