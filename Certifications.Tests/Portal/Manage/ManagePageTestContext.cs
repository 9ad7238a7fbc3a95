using Certifications.Core.Catalog;
using Certifications.Core.Certifications;
using Certifications.Core.Enrollment;
using Certifications.Core.Events;
using Certifications.Core.Progress;
using Certifications.Core.Security;
using Certifications.Tests.Core.Progress;
using Certifications.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Certifications.Tests.Portal.Manage;

/// <summary>
/// The manager Mia, who manages Ann, Ben and Cleo directly, and Otto, who reports to nobody; a certification "Workplace
/// Safety" of Safety 101 (two graded steps) and First Aid (one), due 30 June 2026, held by all four. Mia is signed in.
/// </summary>
public abstract class ManagePageTestContext : ComponentTestContext
{
    protected Course Safety { get; private set; } = null!;

    protected Course FirstAid { get; private set; } = null!;

    protected Learner Mia { get; private set; } = null!;

    protected Learner Ann { get; private set; } = null!;

    protected Learner Ben { get; private set; } = null!;

    protected Learner Cleo { get; private set; } = null!;

    protected Learner Otto { get; private set; } = null!;

    protected int CertificationId { get; private set; }

    protected EventHub Events => Context.Services.GetRequiredService<EventHub>();

    protected DateTime Now => Time.GetUtcNow().UtcDateTime;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Safety = await TestCatalog.AddCourseAsync(Database, "Safety 101", gradedSteps: 2);
        FirstAid = await TestCatalog.AddCourseAsync(Database, "First Aid", gradedSteps: 1);
        await using var db = Database.CreateContext();
        Mia = await TestCatalog.AddLearnerAsync(db, "Mia Manager");
        Ann = await ReportAsync(db, "Ann Archer");
        Ben = await ReportAsync(db, "Ben Baker");
        Cleo = await ReportAsync(db, "Cleo Cooper");
        Otto = await TestCatalog.AddLearnerAsync(db, "Otto Outside");
        CertificationId = await ProgressData.AddCertificationAsync(
            db, "Workplace Safety", [Safety.Id, FirstAid.Id], new DateOnly(2026, 3, 1), c => c.DueDate = new DateOnly(2026, 6, 30));
        foreach (var learner in new[] { Ann, Ben, Cleo, Otto })
        {
            await ProgressData.AssignAsync(db, CertificationId, learner.Id, Now.AddHours(-2));
        }

        SignInAs(Mia.Email, Mia.Id, PortalRoles.Learner, PortalRoles.Manager);
    }

    private async Task<Learner> ReportAsync(Certifications.Core.Persistence.CertificationsDbContext db, string name)
    {
        var learner = await TestCatalog.AddLearnerAsync(db, name);
        learner.ManagerId = Mia.Id;
        await db.SaveChangesAsync();
        return learner;
    }

    /// <summary>Scores on the course's graded steps, in order, written straight to the database as another node would.</summary>
    protected async Task PlayQuietlyAsync(Learner learner, Course course, DateTime at, params decimal[] scores)
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

    /// <summary>Stores what the rules give now, without announcing it: only a published event can tell an open page.</summary>
    protected async Task RecomputeQuietlyAsync()
    {
        var recompute = new ProgressRecompute(Database.Factory, Time, Certifications.Core.Time.OrganisationCalendar.Utc, new EventHub());
        await recompute.RecomputeAllAsync();
    }

    protected async Task AssignQuietlyAsync(int certificationId, Learner learner)
    {
        await using var db = Database.CreateContext();
        await ProgressData.AssignAsync(db, certificationId, learner.Id, Now.AddHours(-1));
    }

    protected async Task<int> AnotherCertificationAsync(string name)
    {
        await using var db = Database.CreateContext();
        return await ProgressData.AddCertificationAsync(db, name, [Safety.Id], new DateOnly(2026, 3, 1), c => c.State = CertificationState.Published);
    }
}
