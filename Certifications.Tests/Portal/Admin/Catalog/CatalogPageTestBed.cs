using AngleSharp.Dom;
using Bunit;
using Certifications.Core.Auditing;
using Certifications.Core.Catalog;
using Certifications.Core.Certifications;
using Certifications.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace Certifications.Tests.Portal.Admin.Catalog;

/// <summary>
/// Catalog pages on a private database with Forklift (two graded steps and a video) assigned to Warehouse, Will in
/// Warehouse, and the published certification "Forklift Licence" targeting it, so Will holds it.
/// </summary>
public abstract class CatalogPageTestBed : ComponentTestContext
{
    protected static readonly Actor Admin = Actor.Admin("admin@example.com");

    protected IRenderedComponent<MudDialogProvider> Dialogs { get; private set; } = null!;

    protected Course Forklift { get; private set; } = null!;

    protected Group Warehouse { get; private set; } = null!;

    protected Learner Will { get; private set; } = null!;

    protected int LicenceId { get; private set; }

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Dialogs = Context.Render<MudDialogProvider>();
        Forklift = await TestCatalog.AddCourseAsync(Database, "Forklift", gradedSteps: 2, ungradedSteps: 1);
        Warehouse = await TestCatalog.AddGroupAsync(Database, "Warehouse", Forklift);
        Will = await LearnerAsync("Will Warehouse", Warehouse.Id);
        var certifications = Context.Services.GetRequiredService<CertificationService>();
        var created = await certifications.CreateAsync(
            new CertificationDraft { Name = "Forklift Licence", EffectiveFrom = new DateOnly(2026, 3, 1), MinimumPassingGrade = 70, CourseIds = [Forklift.Id], GroupIds = [Warehouse.Id] },
            Admin);
        LicenceId = created.Id!.Value;
        Assert.True((await certifications.PublishAsync(LicenceId, created.Version!.Value, Admin)).Succeeded);
    }

    protected async Task<Learner> LearnerAsync(string name, params int[] groupIds)
    {
        await using var db = Database.CreateContext();
        var learner = await TestCatalog.AddLearnerAsync(db, name);
        db.GroupMembers.AddRange(groupIds.Select(g => new GroupMember { GroupId = g, LearnerId = learner.Id, JoinedAt = Time.GetUtcNow().UtcDateTime }));
        await db.SaveChangesAsync();
        return learner;
    }

    protected async Task<Course> StoredCourseAsync(int id)
    {
        await using var db = Database.CreateContext();
        return await db.Courses.AsNoTracking().Include(c => c.Steps).SingleAsync(c => c.Id == id);
    }

    protected IElement DialogButton(string dataTest) => Dialogs.Find($"[data-test='{dataTest}']");

    /// <summary>The headline of each consequence the open dialog lists.</summary>
    protected IReadOnlyList<string> ImpactNotes() => [.. Dialogs.FindAll("[data-test='impact-headline']").Select(n => n.TextContent.Trim())];

    protected IReadOnlyList<string> ImpactEffects() => [.. Dialogs.FindAll("[data-test='impact-effect']").Select(n => n.TextContent.Trim())];

    protected IReadOnlyList<string> Snackbars(Severity severity) =>
        [.. Context.Services.GetRequiredService<ISnackbar>().ShownSnackbars.Where(s => s.Severity == severity).Select(s => s.Message ?? "")];
}
