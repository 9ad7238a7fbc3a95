using Certifications.Core.Auditing;
using Certifications.Core.Catalog;
using Certifications.Core.Certifications;
using Certifications.Core.Persistence;
using Certifications.Core.Security;
using Certifications.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Certifications.Tests.Portal;

[Collection(BrowserTests.Name)]
public sealed class EnrollmentBrowserTests(BrowserFixture browser)
{
    private const string Visible = "Enrolment Live Check";
    private const string Invisible = "Enrolment Hidden Check";

    /// <summary>
    /// Two certifications no other test uses, each targeting a new empty group: nobody holds them and neither is open to
    /// start, so only the individual enrolment below can put them on the learner's panel.
    /// </summary>
    private async Task<int> PrepareAsync()
    {
        var services = browser.Portal.Services;
        var factory = services.GetRequiredService<IDbContextFactory<CertificationsDbContext>>();
        int learnerId;
        int groupId;
        List<int> courseIds;
        await using (var db = await factory.CreateDbContextAsync())
        {
            learnerId = await db.Learners.Where(l => l.NormalizedEmail == AccountSetup.DemoLearnerEmail.ToUpperInvariant()).Select(l => l.Id).SingleAsync();
            courseIds = await db.CertificationCourses.Where(cc => cc.Certification!.Name == "Workplace Safety").Select(cc => cc.CourseId).ToListAsync();
            var group = new Group { Name = "Enrolment check group", Courses = [.. courseIds.Select(id => new GroupCourse { CourseId = id })] };
            db.Groups.Add(group);
            await db.SaveChangesAsync();
            groupId = group.Id;
        }

        var certifications = services.GetRequiredService<CertificationService>();
        var admin = Actor.Admin("browser-test@example.com");
        foreach (var (name, invisible) in new[] { (Visible, false), (Invisible, true) })
        {
            var created = await certifications.CreateAsync(
                new CertificationDraft { Name = name, IsInvisible = invisible, EffectiveFrom = new DateOnly(2026, 1, 1), CourseIds = courseIds, GroupIds = [groupId] }, admin);
            Assert.True(created.Succeeded, string.Join("; ", created.Errors.Select(e => e.Message)));
            Assert.True((await certifications.PublishAsync(created.Id!.Value, created.Version!.Value, admin)).Succeeded);
        }

        return learnerId;
    }

    [Fact]
    public async Task AnAdminEnrolsALearnerFromTheProfileCardAndTheLearnersOpenPanelShowsItWithoutReloadingButNeverTheInvisibleOne()
    {
        var learnerId = await PrepareAsync();
        var learner = await browser.OpenAsync("/me", "Learner");
        var cards = learner.Locator("[data-test='panel-certification']");
        await Assertions.Expect(cards.First).ToBeVisibleAsync();
        await Assertions.Expect(cards.Filter(new() { HasText = Visible })).ToHaveCountAsync(0);

        var admin = await browser.OpenAsync($"/admin/learners/{learnerId}", "Admin");
        await admin.GetByRole(AriaRole.Link, new() { Name = "Certifications Enrollment" }).ClickAsync();
        await admin.GetByRole(AriaRole.Button, new() { Name = $"Add {Visible}" }).ClickAsync();
        await admin.GetByRole(AriaRole.Button, new() { Name = $"Add {Invisible}" }).ClickAsync();
        await Assertions.Expect(admin.Locator("[data-test='unsaved']")).ToHaveTextAsync("2 unsaved changes.");
        await admin.Locator("button[data-test='save']").ClickAsync();
        await Assertions.Expect(admin.GetByText($"Enrolled in \u201c{Invisible}\u201d, \u201c{Visible}\u201d.")).ToBeVisibleAsync();

        await Assertions.Expect(cards.Filter(new() { HasText = Visible })).ToHaveCountAsync(1);
        await Assertions.Expect(learner.GetByText(Invisible)).ToHaveCountAsync(0);
        await learner.ReloadAsync();
        await learner.Locator("[data-interactive='true']").WaitForAsync();
        await Assertions.Expect(cards.Filter(new() { HasText = Visible })).ToHaveCountAsync(1);
        await Assertions.Expect(learner.GetByText(Invisible)).ToHaveCountAsync(0);
        await admin.Context.CloseAsync();
        await learner.Context.CloseAsync();
    }
}
