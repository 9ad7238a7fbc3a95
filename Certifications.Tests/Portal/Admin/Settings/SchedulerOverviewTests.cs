using Bunit;
using Certifications.Core.Auditing;
using Certifications.Core.Renewals;
using Certifications.Core.Security;
using Certifications.Portal.Components.Pages.Admin.Settings;
using Certifications.Portal.Jobs;
using Certifications.Tests.Core.Progress;
using Certifications.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using static Certifications.Tests.Core.Time.TestCalendars;

namespace Certifications.Tests.Portal.Admin.Settings;

public sealed class SchedulerOverviewTests : ComponentTestContext
{
    private readonly FakeScheduler scheduler = new();

    // Registered before the base class renders anything, after which the container is closed.
    public SchedulerOverviewTests()
    {
        Context.Services.AddSingleton<ISweepScheduler>(scheduler);
        scheduler.Authorize = actor => Sweep.AuthorizeRunNowAsync(actor);
    }

    private RenewalSweep Sweep => Context.Services.GetRequiredService<RenewalSweep>();

    /// <summary>Two learners assigned a certification that starts on 5 March 2026 (the clock reads 2 March).</summary>
    private async Task<int> TwoLearnersStartingOnMarch5Async()
    {
        var course = await TestCatalog.AddCourseAsync(Database, "Safety 101", gradedSteps: 1);
        await using var db = Database.CreateContext();
        var certificationId = await ProgressData.AddCertificationAsync(db, "Ladders", [course.Id], new DateOnly(2026, 3, 5));
        foreach (var name in new[] { "Ann Ladder", "Bob Ladder" })
        {
            var learner = await TestCatalog.AddLearnerAsync(db, name);
            await ProgressData.AssignAsync(db, certificationId, learner.Id, Time.GetUtcNow().UtcDateTime);
        }

        await Context.Services.GetRequiredService<global::Certifications.Core.Progress.ProgressRecompute>().RecomputeAllAsync();
        return certificationId;
    }

    [Fact]
    public async Task ShowsTheLastRunWithItsTransitionsPerKindAndTheNextRun()
    {
        await TwoLearnersStartingOnMarch5Async();
        Time.SetUtcNow(new DateTimeOffset(2026, 3, 5, 6, 0, 0, TimeSpan.Zero));
        await Sweep.RunAsync(SweepTrigger.Schedule);
        scheduler.NextRun = Utc(2026, 3, 5, 6, 15);

        var cut = Context.Render<SchedulerOverview>();

        cut.WaitForAssertion(() => Assert.Equal("2026-03-05 06:00:00 UTC", cut.Find("[data-test='last-run-started']").TextContent));
        Assert.Contains("Scheduled → active: 2", cut.Find("[data-test='last-run-Started']").TextContent, StringComparison.Ordinal);
        Assert.Contains("Overdue: 0", cut.Find("[data-test='last-run-Overdue']").TextContent, StringComparison.Ordinal);
        Assert.Equal("2026-03-05 06:15:00 UTC", cut.Find("[data-test='next-run-at']").TextContent);
        Assert.Contains("0 assignments waiting", cut.Find("[data-test='due-now']").TextContent, StringComparison.Ordinal);
        Assert.Single(cut.Find("[data-test='recent-runs']").QuerySelectorAll("tbody tr"));
    }

    [Fact]
    public async Task RunNowAsksTheSchedulerAndThePageShowsTheRunWhenItFinishes()
    {
        await TwoLearnersStartingOnMarch5Async();
        var cut = Context.Render<SchedulerOverview>();
        cut.WaitForAssertion(() => cut.Find("[data-test='no-runs']"));
        Time.SetUtcNow(new DateTimeOffset(2026, 3, 6, 9, 0, 0, TimeSpan.Zero));
        scheduler.OnRunNow = () => Sweep.RunAsync(SweepTrigger.RunNow);

        await cut.InvokeAsync(() => cut.Find("[data-test='run-now']").Click());

        cut.WaitForAssertion(() =>
        {
            Assert.Equal(["admin@example.com"], scheduler.RunNowBy);
            Assert.Equal("2026-03-06 09:00:00 UTC", cut.Find("[data-test='last-run-started']").TextContent);
            Assert.Contains("Scheduled → active: 2", cut.Find("[data-test='last-run-Started']").TextContent, StringComparison.Ordinal);
            Assert.Contains("Run now", cut.Find("[data-test='recent-runs']").TextContent, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task APreviewShowsTheCountsAndLearnersAndWritesNothing()
    {
        await TwoLearnersStartingOnMarch5Async();
        List<string> before;
        await using (var db = Database.CreateContext())
        {
            before = await ProgressData.DescribeAsync(db);
        }

        var cut = Context.Render<SchedulerOverview>();
        var picker = cut.FindComponent<MudDatePicker>();
        await cut.InvokeAsync(() => picker.Instance.DateChanged.InvokeAsync(new DateTime(2026, 3, 5)));
        await cut.InvokeAsync(() => cut.Find("[data-test='preview']").Click());

        cut.WaitForAssertion(() => Assert.Contains("2 assignments due, 2 would change, 2 transitions", cut.Find("[data-test='preview-summary']").TextContent, StringComparison.Ordinal));
        Assert.Equal("Scheduled → active: 2", cut.Find("[data-test='preview-Started']").TextContent);
        Assert.Contains("Ann Ladder", cut.Markup, StringComparison.Ordinal);
        Assert.Contains("Bob Ladder", cut.Markup, StringComparison.Ordinal);
        await using var after = Database.CreateContext();
        Assert.Equal(before, await ProgressData.DescribeAsync(after));
        Assert.Empty(after.SweepRuns);
        Assert.Empty(after.AssignmentTransitions);
    }

    [Fact]
    public void WithTheSchedulerOffThePageSaysSoAndCannotRunIt()
    {
        scheduler.IsEnabled = false;

        var cut = Context.Render<SchedulerOverview>();

        // The summary shows once the overview is read, which on a server database is after the first render.
        cut.WaitForAssertion(() => Assert.Equal("Off", cut.Find("[data-test='next-run-at']").TextContent));
        cut.Find("[data-test='scheduler-off']");
        Assert.True(cut.Find("[data-test='run-now']").HasAttribute("disabled"));
    }

    [Fact]
    public async Task ANonAdminIsToldWhyAndCannotRunTheSweep()
    {
        SignInAs("lena@example.com", learnerId: 7, PortalRoles.Learner);

        var cut = Context.Render<SchedulerOverview>();
        await cut.InvokeAsync(() => cut.Find("[data-test='run-now']").Click());

        // The refusal comes from the database (who the actor is), so it may come after the click has returned.
        cut.WaitForAssertion(() => Assert.Equal(["lena@example.com"], scheduler.Refused));
        Assert.Empty(scheduler.RunNowBy);
        Assert.Empty(cut.FindAll("[data-test='last-run']"));
        Assert.Contains(Context.Services.GetRequiredService<ISnackbar>().ShownSnackbars, s => s.Severity == Severity.Error);
    }

    /// <summary>Stands in for Quartz: says when the next run is, and, once the sweep has let the actor ask, runs what the test gives it.</summary>
    private sealed class FakeScheduler : ISweepScheduler
    {
        public bool IsEnabled { get; set; } = true;

        public DateTime? NextRun { get; set; }

        public Func<Task>? OnRunNow { get; set; }

        public Func<Actor, Task>? Authorize { get; set; }

        public List<string> RunNowBy { get; } = [];

        public Task<DateTime?> NextRunAsync(CancellationToken ct = default) => Task.FromResult(IsEnabled ? NextRun : null);

        public List<string> Refused { get; } = [];

        public async Task RunNowAsync(Actor actor, CancellationToken ct = default)
        {
            try
            {
                await Authorize!(actor);
            }
            catch (AccessDeniedException)
            {
                Refused.Add(actor.Name);
                throw;
            }

            RunNowBy.Add(actor.Name);
            if (OnRunNow is { } run)
            {
                await run();
            }
        }
    }
}
