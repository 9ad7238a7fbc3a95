using Certifications.Core.Auditing;
using Certifications.Core.Persistence;
using Certifications.Core.Time;
using Microsoft.EntityFrameworkCore;

namespace Certifications.Core.Demo;

/// <summary>
/// Fills an empty database with a realistic company: a catalogue, groups, 300 learners under their managers,
/// months of results and eight certifications in every state. Assignments get no periods and keep their default
/// status: the progress recompute derives both from the results, as it would for real data.
/// </summary>
public sealed class DemoDataSeeder(IDbContextFactory<CertificationsDbContext> factory, TimeProvider time, OrganisationCalendar calendar)
{
    public const string Actor = "demo-seed";

    /// <summary>Seeds, in one transaction, unless the database already has a course or a learner; returns whether it did.</summary>
    public async Task<bool> SeedIfEmptyAsync(CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        if (await db.Courses.AnyAsync(ct) || await db.Learners.AnyAsync(ct))
        {
            return false;
        }

        var now = time.GetUtcNow().UtcDateTime;
        var data = new DemoDataBuilder(now, calendar).Build();

        // Nothing is modified after being added, so scanning thousands of tracked entities on every save is wasted.
        db.ChangeTracker.AutoDetectChangesEnabled = false;

        // Table by table, principals first: each save is one batched round trip and gives the keys the next needs.
        db.Courses.AddRange(data.Courses);
        await db.SaveChangesAsync(ct);
        db.Groups.AddRange(data.Groups);
        db.Learners.AddRange(data.Learners);
        await db.SaveChangesAsync(ct);
        db.GroupMembers.AddRange(data.Memberships);
        await db.SaveChangesAsync(ct);
        db.StepResults.AddRange(data.Results);
        await db.SaveChangesAsync(ct);
        db.Certifications.AddRange(data.Certifications);
        await db.SaveChangesAsync(ct);
        db.Assignments.AddRange(data.Assignments);
        await db.SaveChangesAsync(ct);

        AuditTrail.Record(db, now, Actor, "DemoData", DemoDataBuilder.Seed, "Seeded", new
        {
            Today = calendar.DateOf(now),
            Courses = data.Courses.Count,
            Steps = data.Courses.Sum(c => c.Steps.Count),
            Groups = data.Groups.Count,
            Learners = data.Learners.Count,
            Memberships = data.Memberships.Count,
            StepResults = data.Results.Count,
            Certifications = data.Certifications.Select(c => new { c.Name, State = c.State.ToString() }),
            Assignments = data.Assignments.Count,
            AssignmentSources = data.Assignments.Sum(a => a.Sources.Count),
        });
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return true;
    }
}
