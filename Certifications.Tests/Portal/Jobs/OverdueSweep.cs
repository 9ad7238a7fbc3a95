using Certifications.Core.Catalog;
using Certifications.Core.Certifications;
using Certifications.Core.Enrollment;
using Certifications.Core.Persistence;
using Certifications.Core.Progress;
using Certifications.Core.Renewals;
using Certifications.Core.Time;
using Certifications.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Certifications.Tests.Portal.Jobs;

/// <summary>
/// A database as a portal that was down for weeks left it, for the tests that kill portals in the middle of the sweep that
/// catches up: a one-time certification that started and fell due meanwhile, its learners still Scheduled; a monthly one
/// whose learners' window opened and whose certification expired meanwhile, still Certified. Two transitions due for
/// every assignment.
/// </summary>
internal sealed class OverdueSweep(PortalDatabase database, int learnersPerCertification)
{
    /// <summary>Every transition the sweep must make: assignment, kind, instant.</summary>
    public IReadOnlyList<(int AssignmentId, TransitionKind Kind, DateTime EffectiveAt)> Expected { get; private set; } = [];

    /// <summary>Migrates the database and writes the data straight to it.</summary>
    public async Task PrepareAsync(DateTime now)
    {
        await new DatabaseInitializer(database).MigrateAsync();
        await using (var context = database.CreateDbContext())
        {
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
            for (var i = 0; i < learnersPerCertification; i++)
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

        await using var db = database.CreateDbContext();
        var due = await db.Assignments.AsNoTracking().Include(a => a.Periods).ToListAsync();
        var dueEnd = OrganisationCalendar.Utc.EndOfDay(DateOnly.FromDateTime(now).AddDays(-10));
        Expected =
        [
            .. due.SelectMany(a => a.Periods.Count == 0
                ? new[] { (a.Id, TransitionKind.Started, a.NextTransitionAt!.Value), (a.Id, TransitionKind.Overdue, dueEnd) }
                : [(a.Id, TransitionKind.ExpiringSoon, a.NextTransitionAt!.Value), (a.Id, TransitionKind.RenewalDue, a.Periods[0].ExpiresAt!.Value)]),
        ];
    }

    /// <summary>The sweep run the kill interrupted (the one unfinished), and how many transitions it had committed.</summary>
    public async Task<(SweepRun Run, int Transitions)> AtKillAsync()
    {
        await using var db = database.CreateDbContext();
        var run = await db.SweepRuns.AsNoTracking().SingleAsync(r => r.FinishedAt == null);
        return (run, await db.AssignmentTransitions.CountAsync(t => t.RunId == run.Id));
    }

    /// <summary>
    /// Every expected transition recorded exactly once and counted by the runs, the interrupted run left unfinished with
    /// its error, and every assignment where the two transitions leave it: the one-time ones Overdue, the monthly ones
    /// Renewal due in a second period whose window opened a week before the first expired.
    /// </summary>
    /// <returns>The runs, in order.</returns>
    public async Task<IReadOnlyList<SweepRun>> AssertEveryTransitionMadeOnceAsync(SweepRun interrupted)
    {
        await using var db = database.CreateDbContext();
        var transitions = await db.AssignmentTransitions.AsNoTracking().Select(t => new { t.AssignmentId, t.Kind, t.EffectiveAt }).ToListAsync();
        Assert.Equal(Expected.Count, transitions.Count);
        Assert.Equal(Expected.Order(), transitions.Select(t => (t.AssignmentId, t.Kind, t.EffectiveAt)).Order());
        var runs = await db.SweepRuns.AsNoTracking().OrderBy(r => r.Id).ToListAsync();
        Assert.Equal(transitions.Count, runs.Sum(r => r.Started + r.ExpiringSoon + r.RenewalDue + r.Overdue + r.Expired + r.Other));
        Assert.Contains(runs, r => r.Id == interrupted.Id && r.FinishedAt == null && r.Error != null);

        var assignments = await db.Assignments.AsNoTracking().Include(a => a.Periods).ToListAsync();
        Assert.All(assignments, a => Assert.Null(a.NextTransitionAt));
        var oneTime = assignments.Where(a => a.Periods.Count == 1 && a.Periods[0].CompletedAt is null && a.Status == AssignmentStatus.Overdue).ToList();
        var renewing = assignments.Where(a => a.Status == AssignmentStatus.RenewalDue
            && a.Periods.OrderBy(p => p.Number).Select(p => (p.Number, p.CompletedAt is null)).SequenceEqual([(1, false), (2, true)])).ToList();
        Assert.Equal((learnersPerCertification, learnersPerCertification), (oneTime.Count, renewing.Count));
        Assert.All(renewing, a => Assert.Equal(RenewalRules.WindowOpensAt(a.Periods.Single(p => p.Number == 1).ExpiresAt!.Value, 7), a.Periods.Single(p => p.Number == 2).WindowStart));
        return runs;
    }
}
