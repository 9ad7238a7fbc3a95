using Certifications.Core.Catalog;
using Certifications.Core.Certifications;
using Certifications.Core.Enrollment;
using Certifications.Core.Persistence;
using Certifications.Core.Progress;
using Certifications.Core.Renewals;
using Certifications.Core.Time;
using Certifications.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Xunit.Abstractions;

namespace Certifications.Tests.Portal.Jobs;

/// <summary>
/// The portal is killed in the middle of a large sweep and started again: every transition happens exactly once and no
/// period is duplicated or lost. Real processes on a real database (a file, or a PostgreSQL database) and the real
/// clock, so the crash is a real one.
/// </summary>
public sealed class SchedulerCrashTests : IDisposable
{
    private const int LearnersPerCertification = 1_000;
    private static readonly TimeSpan PortalTimeout = TimeSpan.FromSeconds(90);

    private readonly ITestOutputHelper output;
    private readonly string folder = Directory.CreateTempSubdirectory("certifications-crash-").FullName;
    private readonly PortalDatabase database;

    public SchedulerCrashTests(ITestOutputHelper output)
    {
        this.output = output;
        database = PortalDatabase.Create(folder);
    }

    private Dictionary<string, string> Settings => new(database.PortalSettings)
    {
        ["Demo:Seed"] = "false",
        ["Scheduler:Enabled"] = "true",
        ["Scheduler:IntervalMinutes"] = "600",
        ["Scheduler:BatchSize"] = "25",
        ["Logging:LogLevel:Default"] = "Warning",
        ["Logging:LogLevel:Certifications.Core.Renewals"] = "Information",
        ["urls"] = "http://127.0.0.1:0",
    };

    [Fact]
    public async Task KilledInTheMiddleOfASweepThePortalMakesEveryTransitionExactlyOnceAfterItRestarts()
    {
        var now = TimeProvider.System.GetUtcNow().UtcDateTime;
        var expected = await PrepareAsync(now);

        using (var first = PortalProcess.Start(folder, Settings))
        {
            await first.WaitForLineAsync(l => l.Contains("committed a batch", StringComparison.Ordinal), PortalTimeout);
            first.Kill();
        }

        var (interruptedRun, transitionsAtKill) = await AtKillAsync();
        Assert.Null(interruptedRun.FinishedAt);
        Assert.InRange(transitionsAtKill, 1, expected.Count - 1);
        output.WriteLine($"Killed with {transitionsAtKill:N0} of {expected.Count:N0} transitions committed, {interruptedRun.AssignmentsEvaluated:N0} assignments evaluated.");

        using (var second = PortalProcess.Start(folder, Settings))
        {
            await second.WaitForLineAsync(l => l.Contains("finished:", StringComparison.Ordinal), PortalTimeout);
            second.Kill();
        }

        await using var db = CreateContext();
        var transitions = await db.AssignmentTransitions.AsNoTracking().Select(t => new { t.AssignmentId, t.Kind, t.EffectiveAt, t.RunId }).ToListAsync();
        Assert.Equal(expected.Count, transitions.Count);
        Assert.Equal(
            expected.Order(),
            transitions.Select(t => (t.AssignmentId, t.Kind, t.EffectiveAt)).Order());
        var runs = await db.SweepRuns.AsNoTracking().ToListAsync();
        output.WriteLine(string.Join(Environment.NewLine, runs.Select(r => $"run {r.Id} {r.Trigger}: {r.AssignmentsEvaluated:N0} evaluated, finished {r.FinishedAt:o} after {r.FinishedAt - r.StartedAt}, error {r.Error}")));
        Assert.Equal(transitions.Count, runs.Sum(r => r.Started + r.ExpiringSoon + r.RenewalDue + r.Overdue + r.Expired + r.Other));
        Assert.Contains(runs, r => r.Id == interruptedRun.Id && r.FinishedAt == null && r.Error != null);

        var assignments = await db.Assignments.AsNoTracking().Include(a => a.Periods).ToListAsync();
        Assert.All(assignments, a => Assert.Null(a.NextTransitionAt));
        var oneTime = assignments.Where(a => a.Periods.Count == 1 && a.Periods[0].CompletedAt is null && a.Status == AssignmentStatus.Overdue).ToList();
        var renewing = assignments.Where(a => a.Status == AssignmentStatus.RenewalDue
            && a.Periods.OrderBy(p => p.Number).Select(p => (p.Number, p.CompletedAt is null)).SequenceEqual([(1, false), (2, true)])).ToList();
        Assert.Equal((LearnersPerCertification, LearnersPerCertification), (oneTime.Count, renewing.Count));
        Assert.All(renewing, a => Assert.Equal(RenewalRules.WindowOpensAt(a.Periods.Single(p => p.Number == 1).ExpiresAt!.Value, 7), a.Periods.Single(p => p.Number == 2).WindowStart));
    }

    private CertificationsDbContext CreateContext() => database.CreateDbContext();

    private async Task<(SweepRun Run, int Transitions)> AtKillAsync()
    {
        await using var db = CreateContext();
        return (await db.SweepRuns.AsNoTracking().SingleAsync(), await db.AssignmentTransitions.CountAsync());
    }

    /// <summary>
    /// Written straight to the file, as a portal that was down for weeks left it: a one-time certification that started
    /// and fell due meanwhile, its learners still Scheduled; a monthly one whose learners' window opened and whose
    /// certification expired meanwhile, still Certified. Two transitions due for every assignment.
    /// </summary>
    /// <returns>Every transition the sweep must make: assignment, kind, instant.</returns>
    private async Task<List<(int, TransitionKind, DateTime)>> PrepareAsync(DateTime now)
    {
        var context = CreateContext();
        await using (context)
        {
            await new DatabaseInitializer(database).MigrateAsync();
            var course = new Course { Title = "Safety 101", IsPublished = true, Steps = [new Step { Title = "Quiz", Position = 1, IsGraded = true }] };
            var today = DateOnly.FromDateTime(now);
            var oneTime = new Certification
            {
                Name = "Fire drill", NormalizedName = "FIRE DRILL", State = CertificationState.Published, MinimumPassingGrade = 70,
                EffectiveFrom = today.AddDays(-20), DueDate = today.AddDays(-10), Courses = [new CertificationCourse { Course = course, Position = 1 }],
            };
            var monthly = new Certification
            {
                Name = "Forklift", NormalizedName = "FORKLIFT", State = CertificationState.Published, MinimumPassingGrade = 70,
                EffectiveFrom = today.AddDays(-90), RenewalRequired = true, RenewalPeriodMonths = 1, RenewalWindowDays = 7,
                Courses = [new CertificationCourse { Course = course, Position = 1 }],
            };
            context.AddRange(oneTime, monthly);
            await context.SaveChangesAsync();

            var effective = OrganisationCalendar.Utc.StartOfDay(oneTime.EffectiveFrom);
            for (var i = 0; i < LearnersPerCertification; i++)
            {
                var learner = new Learner { Name = $"Learner {i}", Email = $"learner{i}@example.com", NormalizedEmail = $"LEARNER{i}@EXAMPLE.COM" };
                var completed = now.Date.AddDays(-45).AddMinutes(i);
                var expires = RenewalRules.AddCalendarMonths(completed, 1, OrganisationCalendar.Utc);
                context.Assignments.AddRange(
                    new Assignment
                    {
                        CertificationId = oneTime.Id, Learner = learner, AssignedAt = effective.AddDays(-5), Status = AssignmentStatus.Scheduled,
                        CoursesRequired = 1, StatusChangedAt = effective.AddDays(-5), NextTransitionAt = effective,
                    },
                    new Assignment
                    {
                        CertificationId = monthly.Id, Learner = learner, AssignedAt = completed.AddDays(-5), Status = AssignmentStatus.Certified,
                        CoursesSatisfied = 1, CoursesRequired = 1, StatusChangedAt = completed, NextTransitionAt = RenewalRules.WindowOpensAt(expires, 7),
                        Periods =
                        [
                            new Period
                            {
                                Number = 1, WindowStart = completed.AddDays(-5), CompletedAt = completed, ExpiresAt = expires, ChainStart = completed, ChainIndex = 1,
                                CourseGrades = [new PeriodCourseGrade { CourseId = course.Id, Grade = 90m }],
                            },
                        ],
                    });
            }

            await context.SaveChangesAsync();
        }

        await using var db = CreateContext();
        var due = await db.Assignments.AsNoTracking().Include(a => a.Periods).ToListAsync();
        var dueEnd = OrganisationCalendar.Utc.EndOfDay(DateOnly.FromDateTime(now).AddDays(-10));
        return
        [
            .. due.SelectMany(a => a.Periods.Count == 0
                ? new[] { (a.Id, TransitionKind.Started, a.NextTransitionAt!.Value), (a.Id, TransitionKind.Overdue, dueEnd) }
                : [(a.Id, TransitionKind.ExpiringSoon, a.NextTransitionAt!.Value), (a.Id, TransitionKind.RenewalDue, a.Periods[0].ExpiresAt!.Value)]),
        ];
    }

    public void Dispose()
    {
        database.Dispose();
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
            // A file still held by the OS is left in the temporary folder; it is not part of any result.
        }
    }
}
