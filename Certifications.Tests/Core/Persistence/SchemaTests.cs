using Certifications.Core.Catalog;
using Certifications.Core.Certifications;
using Certifications.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Certifications.Tests.Core.Persistence;

public sealed class SchemaTests
{
    [Fact]
    public async Task MigrationsLeaveNoPendingModelChanges()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var db = database.CreateContext();
        Assert.False(db.Database.HasPendingModelChanges());
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
    }

    [Fact]
    public async Task ARepeatedExternalIdIsRefusedByTheDatabase()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var db = database.CreateContext();
        var learner = new Learner { Name = "Bob", Email = "bob@example.com", NormalizedEmail = "BOB@EXAMPLE.COM" };
        var course = new Course { Title = "Safety 101", IsPublished = true, Steps = [new Step { Title = "Quiz", IsGraded = true }] };
        db.AddRange(learner, course);
        await db.SaveChangesAsync();
        var at = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        db.StepResults.Add(new StepResult { LearnerId = learner.Id, StepId = course.Steps[0].Id, Score = 80, CompletedAt = at, ReceivedAt = at, ExternalId = "x-1" });
        await db.SaveChangesAsync();
        db.StepResults.Add(new StepResult { LearnerId = learner.Id, StepId = course.Steps[0].Id, Score = 90, CompletedAt = at, ReceivedAt = at, ExternalId = "x-1" });
        await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());
    }

    [Fact]
    public async Task ADeletedCertificationFreesItsNameButALiveOneDoesNot()
    {
        await using var database = await TestDatabase.CreateAsync();
        var at = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        await using (var db = database.CreateContext())
        {
            db.Certifications.Add(new Certification { Name = "Sales 101", NormalizedName = "SALES 101", State = CertificationState.Deleted, CreatedAt = at, UpdatedAt = at });
            db.Certifications.Add(new Certification { Name = "Sales 101", NormalizedName = "SALES 101", CreatedAt = at, UpdatedAt = at });
            await db.SaveChangesAsync();
        }

        await using (var db = database.CreateContext())
        {
            db.Certifications.Add(new Certification { Name = "sales 101", NormalizedName = "SALES 101", CreatedAt = at, UpdatedAt = at });
            await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());
        }
    }

    [Fact]
    public async Task InstantsComeBackAsUtcAndScoresKeepTheirDecimals()
    {
        await using var database = await TestDatabase.CreateAsync();
        var at = new DateTime(2026, 3, 4, 5, 6, 7, DateTimeKind.Utc);
        await using (var db = database.CreateContext())
        {
            var learner = new Learner { Name = "Ann", Email = "ann@example.com", NormalizedEmail = "ANN@EXAMPLE.COM" };
            var course = new Course { Title = "Safety 101", Steps = [new Step { Title = "Quiz", IsGraded = true }] };
            db.AddRange(learner, course);
            await db.SaveChangesAsync();
            db.StepResults.Add(new StepResult { LearnerId = learner.Id, StepId = course.Steps[0].Id, Score = 72.35m, CompletedAt = at, ReceivedAt = at, ExternalId = "a" });
            await db.SaveChangesAsync();
        }

        await using (var db = database.CreateContext())
        {
            var result = await db.StepResults.AsNoTracking().SingleAsync(r => r.CompletedAt >= at.AddSeconds(-1) && r.Score > 72.3m);
            Assert.Equal(DateTimeKind.Utc, result.CompletedAt.Kind);
            Assert.Equal(at, result.CompletedAt);
            Assert.Equal(72.35m, result.Score);
        }
    }
}
