using Certifications.Core.Auditing;
using Certifications.Core.Catalog;
using Certifications.Core.Certifications;
using Certifications.Core.Enrollment;
using Certifications.Core.Events;
using Certifications.Core.Persistence;
using Certifications.Core.Progress;
using Certifications.Core.Security;
using Certifications.Core.Time;
using Certifications.Tests.Core.Progress;
using Certifications.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace Certifications.Tests.Core.Enrollment;

/// <summary>
/// A manager, Mia, with a direct report Ann who manages Ben (so Ben reports to Mia indirectly), and Otto who reports to
/// nobody. Two published courses, Safety 101 (two graded steps) and First Aid (one graded and one ungraded step).
/// </summary>
public sealed class TeamTestBed : IAsyncDisposable
{
    private TeamTestBed(TestDatabase database, CommandLog commands) => (Database, Commands) = (database, commands);

    public TestDatabase Database { get; }

    public CommandLog Commands { get; }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));

    public EventHub Events { get; } = new();

    public Course Safety { get; private set; } = null!;

    public Course FirstAid { get; private set; } = null!;

    public Learner Mia { get; private set; } = null!;

    public Learner Ann { get; private set; } = null!;

    public Learner Ben { get; private set; } = null!;

    public Learner Otto { get; private set; } = null!;

    public Actor Manager => new(Mia.Email, Mia.Id, new HashSet<string> { PortalRoles.Learner, PortalRoles.Manager });

    public static Actor Admin { get; } = Actor.Admin("admin@example.com");

    public static Actor LearnerActor(Learner learner) => new(learner.Email, learner.Id, new HashSet<string> { PortalRoles.Learner });

    public DateTime Now => Time.GetUtcNow().UtcDateTime;

    public static async Task<TeamTestBed> CreateAsync()
    {
        var commands = new CommandLog();
        var bed = new TeamTestBed(await TestDatabase.CreateAsync(commands), commands);
        bed.Safety = await TestCatalog.AddCourseAsync(bed.Database, "Safety 101", gradedSteps: 2);
        bed.FirstAid = await TestCatalog.AddCourseAsync(bed.Database, "First Aid", gradedSteps: 1, ungradedSteps: 1);
        await using var db = bed.Database.CreateContext();
        bed.Mia = await TestCatalog.AddLearnerAsync(db, "Mia Manager");
        bed.Ann = await AddReportAsync(db, "Ann Direct", bed.Mia);
        bed.Ben = await AddReportAsync(db, "Ben Indirect", bed.Ann);
        bed.Otto = await TestCatalog.AddLearnerAsync(db, "Otto Outside");
        return bed;
    }

    public static async Task<Learner> AddReportAsync(CertificationsDbContext db, string name, Learner manager)
    {
        ArgumentNullException.ThrowIfNull(db);
        var learner = await TestCatalog.AddLearnerAsync(db, name);
        learner.ManagerId = manager.Id;
        await db.SaveChangesAsync();
        return learner;
    }

    public CertificationRoster Roster(OrganisationCalendar? calendar = null) =>
        new(Database.Factory, new AccessGuard(Database.Factory, Time), Time, calendar ?? OrganisationCalendar.Utc);

    public LearnerPanelService Panels() => new(Database.Factory, new AccessGuard(Database.Factory, Time), Time, OrganisationCalendar.Utc);

    public TeamService Teams() => new(Database.Factory, new AccessGuard(Database.Factory, Time));

    /// <summary>A published certification of Safety 101 and First Aid, effective 1 March 2026, minimum 70 %.</summary>
    public async Task<int> CertificationAsync(string name, Action<Certification>? configure = null)
    {
        await using var db = Database.CreateContext();
        return await ProgressData.AddCertificationAsync(db, name, [Safety.Id, FirstAid.Id], new DateOnly(2026, 3, 1), configure);
    }

    public async Task AssignAsync(int certificationId, params Learner[] learners)
    {
        await using var db = Database.CreateContext();
        foreach (var learner in learners)
        {
            await ProgressData.AssignAsync(db, certificationId, learner.Id, Now.AddHours(-1));
        }
    }

    /// <summary>Scores on the course's graded steps, in order, completed at the instant.</summary>
    public async Task PlayAsync(Learner learner, Course course, DateTime at, params decimal[] scores)
    {
        await using var db = Database.CreateContext();
        foreach (var (step, score) in course.Steps.Where(s => s.IsGraded).OrderBy(s => s.Position).Zip(scores))
        {
            db.StepResults.Add(new StepResult
            {
                LearnerId = learner.Id,
                StepId = step.Id,
                Score = score,
                CompletedAt = at,
                ReceivedAt = at,
                ExternalId = $"r-{Guid.NewGuid():N}",
            });
        }

        await db.SaveChangesAsync();
    }

    /// <summary>Stores every assignment's status and periods as the rules give them now, as the portal does after each change.</summary>
    public Task RecomputeAsync() => new ProgressRecompute(Database.Factory, Time, OrganisationCalendar.Utc, Events).RecomputeAllAsync();

    public async Task WithdrawAsync(int certificationId, Learner learner)
    {
        await using var db = Database.CreateContext();
        await db.Assignments.Where(a => a.CertificationId == certificationId && a.LearnerId == learner.Id)
            .ExecuteUpdateAsync(s => s.SetProperty(a => a.WithdrawnAt, Now));
    }

    public ValueTask DisposeAsync() => Database.DisposeAsync();
}
