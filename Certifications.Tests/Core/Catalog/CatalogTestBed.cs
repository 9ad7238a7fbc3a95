using Certifications.Core.Auditing;
using Certifications.Core.Catalog;
using Certifications.Core.Certifications;
using Certifications.Core.Enrollment;
using Certifications.Core.Events;
using Certifications.Core.Progress;
using Certifications.Core.Security;
using Certifications.Core.Time;
using Certifications.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace Certifications.Tests.Core.Catalog;

/// <summary>The catalog services on a private database, with helpers to publish certifications and give learners results.</summary>
public abstract class CatalogTestBed : IAsyncLifetime
{
    protected static readonly Actor Alice = Actor.Admin("alice@example.com");
    protected static readonly Actor Bruno = Actor.Admin("bruno@example.com");
    protected static readonly Actor Lena = new("lena@example.com", null, new HashSet<string> { PortalRoles.Learner });

    protected FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));

    protected EventHub Events { get; } = new();

    protected TestDatabase Database { get; private set; } = null!;

    protected CourseAdministration Courses { get; private set; } = null!;

    protected GroupAdministration Groups { get; private set; } = null!;

    protected LearnerAdministration Learners { get; private set; } = null!;

    protected CertificationService Certifications { get; private set; } = null!;

    protected DateTime Now => Time.GetUtcNow().UtcDateTime;

    public virtual async Task InitializeAsync()
    {
        Database = await TestDatabase.CreateAsync();
        Courses = TestServices.Courses(Database.Factory, Time, Events);
        Groups = TestServices.Groups(Database.Factory, Time, Events);
        Learners = TestServices.Learners(Database.Factory, Time, Events);
        Certifications = TestServices.Certifications(Database.Factory, Time, Events, new AccessGuard(Database.Factory, Time));
    }

    public virtual async Task DisposeAsync() => await Database.DisposeAsync();

    /// <summary>A published certification of these courses, targeting these groups (which must have all the courses).</summary>
    protected async Task<int> PublishedCertificationAsync(string name, int[] courseIds, params int[] groupIds)
    {
        var created = await Certifications.CreateAsync(
            new CertificationDraft { Name = name, EffectiveFrom = new DateOnly(2026, 3, 1), MinimumPassingGrade = 70, CourseIds = [.. courseIds], GroupIds = [.. groupIds] },
            Alice);
        Assert.True(created.Succeeded, string.Join(" ", created.Errors.Select(e => e.Message)));
        var published = await Certifications.PublishAsync(created.Id!.Value, created.Version!.Value, Alice);
        Assert.True(published.Succeeded, string.Join(" ", published.Errors.Select(e => e.Message)));
        return created.Id.Value;
    }

    protected async Task<Learner> LearnerAsync(string name, params int[] groupIds)
    {
        await using var db = Database.CreateContext();
        var learner = await TestCatalog.AddLearnerAsync(db, name);
        db.GroupMembers.AddRange(groupIds.Select(g => new GroupMember { GroupId = g, LearnerId = learner.Id, JoinedAt = Now }));
        await db.SaveChangesAsync();
        return learner;
    }

    protected async Task ResultAsync(int learnerId, int stepId, decimal score)
    {
        await using var db = Database.CreateContext();
        db.StepResults.Add(new StepResult { LearnerId = learnerId, StepId = stepId, Score = score, CompletedAt = Now, ReceivedAt = Now, ExternalId = Guid.NewGuid().ToString("N") });
        await db.SaveChangesAsync();
    }

    protected Task RecomputeAsync(int certificationId) =>
        new ProgressRecompute(Database.Factory, Time, OrganisationCalendar.Utc, Events).RecomputeCertificationAsync(certificationId);

    protected async Task<Assignment> AssignmentAsync(int certificationId, int learnerId)
    {
        await using var db = Database.CreateContext();
        return await db.Assignments.AsNoTracking().Include(a => a.Periods).SingleAsync(a => a.CertificationId == certificationId && a.LearnerId == learnerId);
    }

    protected async Task<List<AuditEntry>> AuditAsync(string entityType, string? action = null)
    {
        await using var db = Database.CreateContext();
        return await db.AuditEntries.AsNoTracking()
            .Where(e => e.EntityType == entityType && (action == null || e.Action == action))
            .OrderBy(e => e.Id)
            .ToListAsync();
    }
}
