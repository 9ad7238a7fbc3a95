using Certifications.Core.Catalog;
using Certifications.Core.Certifications;
using Certifications.Core.Enrollment;
using Certifications.Core.Persistence;
using Certifications.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Certifications.Tests.Core.Persistence;

/// <summary>
/// An existing SQLite database whose next transitions are stored as text is migrated to ticks: every instant converted
/// exactly, to the 100 nanoseconds, so the sweep selects and the rules compare the same instants as before.
/// </summary>
public sealed class NextTransitionMigrationTests : IDisposable
{
    private readonly string path = Path.Combine(Path.GetTempPath(), $"next-transition-{Guid.NewGuid():N}.db");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        foreach (var file in new[] { path, path + "-wal", path + "-shm" })
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task StoredTextInstantsBecomeTheirTicksExactlyAndTheSweepSelectsTheSameAssignments()
    {
        if (TestProvider.IsPostgreSql)
        {
            return; // PostgreSQL keeps its timestamptz: nothing to convert.
        }

        var options = new DbContextOptionsBuilder<CertificationsDbContext>();
        new DatabaseSettings(DatabaseProvider.Sqlite, $"Data Source={path}").Configure(options);
        DateTime?[] instants =
        [
            new DateTime(2026, 11, 27, 12, 0, 18, DateTimeKind.Utc),
            new DateTime(2026, 11, 27, 12, 0, 18, DateTimeKind.Utc).AddTicks(5_000_000),
            new DateTime(2027, 3, 1, 0, 0, 0, DateTimeKind.Utc).AddTicks(1_234_567),
            null,
        ];
        await using (var db = new CertificationsDbContext(options.Options))
        {
            await db.GetService<IMigrator>().MigrateAsync("20261129163444_AssignmentsByLearner");
            var at = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
            // The learners' and certifications' tables are the same before and after: the current model writes them.
            var learners = instants.Select((_, i) => new Learner { Name = $"Learner {i}", Email = $"learner{i}@example.com", NormalizedEmail = $"LEARNER{i}@EXAMPLE.COM" }).ToList();
            var certification = new Certification { Name = "Safety", NormalizedName = "SAFETY", State = CertificationState.Published, CreatedAt = at, UpdatedAt = at };
            db.AddRange(learners);
            db.Add(certification);
            await db.SaveChangesAsync();
            foreach (var (instant, learner) in instants.Zip(learners))
            {
                // As the text the earlier mapping wrote: whole seconds, or up to seven decimals without trailing zeros.
                var text = instant?.ToString("yyyy'-'MM'-'dd HH':'mm':'ss.FFFFFFF", System.Globalization.CultureInfo.InvariantCulture);
                await db.Database.ExecuteSqlAsync($"""
                    INSERT INTO "Assignments" ("CertificationId", "LearnerId", "AssignedAt", "GraceDays", "Status", "CoursesSatisfied", "CoursesRequired", "StatusChangedAt", "NextTransitionAt")
                    VALUES ({certification.Id}, {learner.Id}, {at}, 0, 'NotStarted', 0, 1, {at}, {text})
                    """);
            }
        }

        await using (var db = new CertificationsDbContext(options.Options))
        {
            await db.Database.MigrateAsync();
            var stored = await db.Database.SqlQuery<string>($"""SELECT typeof("NextTransitionAt") AS "Value" FROM "Assignments" ORDER BY "Id" """).ToListAsync();
            Assert.Equal(["integer", "integer", "integer", "null"], stored);
            Assert.Equal(instants, await db.Assignments.OrderBy(a => a.Id).Select(a => a.NextTransitionAt).ToListAsync());
            var due = instants[1]!.Value;
            Assert.Equal(instants[..2], await db.Assignments.Where(a => a.NextTransitionAt <= due).OrderBy(a => a.Id).Select(a => a.NextTransitionAt).ToListAsync());
        }
    }
}
