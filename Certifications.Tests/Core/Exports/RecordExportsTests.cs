using Certifications.Core.Auditing;
using Certifications.Core.Catalog;
using Certifications.Core.Certifications;
using Certifications.Core.Enrollment;
using Certifications.Core.Events;
using Certifications.Core.Exports;
using Certifications.Core.History;
using Certifications.Core.Progress;
using Certifications.Core.Security;
using Certifications.Core.Time;
using Certifications.Tests.Core.History;
using Certifications.Tests.Core.Progress;
using Certifications.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace Certifications.Tests.Core.Exports;

/// <summary>
/// Workplace Safety renews yearly. Ann completed it by her results (and holds it through the Warehouse group too), Bob's
/// completion was imported, Cy's marked complete by an admin, Dee is exempt, and Eve has her own due date and nothing done.
/// Dee is exempt from Forklift as well.
/// </summary>
public sealed class RecordExportsTests : IAsyncLifetime
{
    private static readonly DateTime Now = new(2026, 3, 10, 9, 0, 0, DateTimeKind.Utc);
    private static readonly DateTime Assigned = new(2026, 3, 2, 9, 0, 0, DateTimeKind.Utc);
    private static readonly Actor Admin = Actor.Admin("admin@example.com");

    private readonly FakeTimeProvider time = new(new DateTimeOffset(Now));
    private readonly EventHub events = new();
    private readonly CommandLog commands = new();
    private TestDatabase database = null!;
    private RecordExports exports = null!;
    private int safety;
    private int forklift;
    private readonly Dictionary<string, int> learners = [];

    public async Task InitializeAsync()
    {
        database = await TestDatabase.CreateAsync(commands);
        var guard = new AccessGuard(database.Factory, time);
        exports = new RecordExports(database.Factory, guard, OrganisationCalendar.Utc);
        var recompute = new ProgressRecompute(database.Factory, time, OrganisationCalendar.Utc, events);
        var corrections = new RecordCorrections(database.Factory, time, OrganisationCalendar.Utc, guard, recompute, events);
        var course = await TestCatalog.AddCourseAsync(database, "Safety 101", gradedSteps: 2);
        var warehouse = await TestCatalog.AddGroupAsync(database, "Warehouse", course);
        await using (var db = database.CreateContext())
        {
            safety = await ProgressData.AddCertificationAsync(db, "Workplace Safety", [course.Id], new DateOnly(2026, 3, 1), c =>
            {
                c.RenewalRequired = true;
                c.RenewalPeriodMonths = 12;
            });
            forklift = await ProgressData.AddCertificationAsync(db, "Forklift", [course.Id], new DateOnly(2026, 3, 1));
            foreach (var name in new[] { "Eve Pending", "Dee Exempt", "Cy Override", "Bob Imported", "Ann Results" })
            {
                learners[name.Split(' ')[0]] = (await TestCatalog.AddLearnerAsync(db, name)).Id;
                await ProgressData.AssignAsync(db, safety, learners[name.Split(' ')[0]], Assigned);
            }

            await ProgressData.AssignAsync(db, forklift, learners["Dee"], Assigned);
            var ann = await db.Assignments.SingleAsync(a => a.CertificationId == safety && a.LearnerId == learners["Ann"]);
            db.AssignmentSources.Add(new AssignmentSource { AssignmentId = ann.Id, Kind = AssignmentSourceKind.Group, GroupId = warehouse.Id, AddedAt = Assigned });
            AuditTrail.Record(db, Assigned, "admin@example.com", "Certification", safety, "Updated", new { Name = new { From = "Safety", To = "Workplace Safety" } });
            AuditTrail.Record(db, Assigned, "admin@example.com", "Learner", learners["Dee"], "Updated", new { Email = new { From = "dee@old.example.com", To = "dee.exempt@example.com" } });

            // An entry of another certification whose id starts with the same digits.
            AuditTrail.Record(db, Assigned, "admin@example.com", "Assignment", RecordCorrections.AuditEntityId(safety * 10 + 1, learners["Ann"]), "Exempted", new { Reason = "Another one" });
            await db.SaveChangesAsync();
        }

        await recompute.RecomputeAllAsync();
        await ResultIngestionTests.Ingestion(database, time, events).IngestAsync(Admin,
        [
            new ResultItem("a1", learners["Ann"], course.Steps[0].Id, 90m, Assigned.AddDays(1)),
            new ResultItem("a2", learners["Ann"], course.Steps[1].Id, 80m, Assigned.AddDays(1)),
        ]);

        // A minute apart, so that the trails' order is the order they were made in.
        time.Advance(TimeSpan.FromMinutes(1));
        await CompletionImportTests.Import(database, time, events).ImportAsync(Admin,
            await CompletionCsv.ReadAsync("learner,certification,completed_at,evidence\nbob.imported@example.com,Workplace Safety,2025-11-15,Old LMS"), dryRun: false);
        time.Advance(TimeSpan.FromMinutes(1));
        await corrections.MarkCompleteAsync(Admin, await AssignmentAsync(safety, "Cy"), new MarkCompleteRequest { CompletedOn = new DateOnly(2026, 3, 8), Evidence = "Paper certificate" });
        time.Advance(TimeSpan.FromMinutes(1));
        await corrections.ExemptAsync(Admin, await AssignmentAsync(safety, "Dee"), new DateWithReasonRequest { Reason = "Works from home" });
        time.Advance(TimeSpan.FromMinutes(1));
        await corrections.ExemptAsync(Admin, await AssignmentAsync(forklift, "Dee"), new DateWithReasonRequest { Reason = "Does not drive" });
        time.Advance(TimeSpan.FromMinutes(1));
        await corrections.SetDueDateAsync(Admin, await AssignmentAsync(safety, "Eve"), new DateWithReasonRequest { Date = new DateOnly(2026, 4, 30), Reason = "Joined late" });
        time.Advance(TimeSpan.FromMinutes(1));
    }

    public async Task DisposeAsync() => await database.DisposeAsync();

    private async Task<int> AssignmentAsync(int certificationId, string learner)
    {
        await using var db = database.CreateContext();
        return await db.Assignments.Where(a => a.CertificationId == certificationId && a.LearnerId == learners[learner]).Select(a => a.Id).SingleAsync();
    }

    private static async Task<List<T>> ReadAsync<T>(Export<T>? export)
    {
        Assert.NotNull(export);
        var rows = new List<T>();
        await foreach (var row in export.Rows)
        {
            rows.Add(row);
        }

        return rows;
    }

    [Fact]
    public async Task TheLearnersExportSaysForEachLearnerTheStatusTheDatesAndWhatTheStandingRestsOn()
    {
        var rows = await ReadAsync(await exports.CertificationLearnersAsync(Admin, safety));

        Assert.Equal(["Ann Results", "Bob Imported", "Cy Override", "Dee Exempt", "Eve Pending"], rows.Select(r => r.Name));
        var ann = rows[0];
        Assert.Equal("ann.results@example.com", ann.Email);
        Assert.Equal(["Warehouse"], ann.Groups);
        Assert.True(ann.AddedIndividually);
        Assert.False(ann.SelfStarted);
        Assert.Equal(
            (AssignmentStatus.Certified, new DateOnly(2026, 3, 2), new DateOnly(2026, 3, 3), new DateOnly(2027, 3, 3), (DateOnly?)null, StandingSource.Results),
            (ann.Status, ann.PeriodStartedOn, ann.CompletedOn, ann.ExpiresOn, ann.DueOn, ann.Source));
        var bob = rows[1];
        Assert.Equal(
            (AssignmentStatus.Certified, new DateOnly(2025, 11, 15), new DateOnly(2026, 11, 15), StandingSource.Imported),
            (bob.Status, bob.CompletedOn, bob.ExpiresOn, bob.Source));
        Assert.Equal((new DateOnly(2026, 3, 8), StandingSource.AdminOverride), (rows[2].CompletedOn, rows[2].Source));
        Assert.Equal((AssignmentStatus.Exempt, (DateOnly?)null, StandingSource.Exempt), (rows[3].Status, rows[3].CompletedOn, rows[3].Source));
        var eve = rows[4];
        Assert.Equal(
            (AssignmentStatus.NotStarted, new DateOnly(2026, 3, 2), (DateOnly?)null, new DateOnly(2026, 4, 30), StandingSource.None),
            (eve.Status, eve.PeriodStartedOn, eve.CompletedOn, eve.DueOn, eve.Source));
        Assert.Empty(eve.Groups);
    }

    [Fact]
    public async Task TheLearnersAreReadInOneStatementWhateverTheirNumber()
    {
        commands.Clear();
        var rows = await ReadAsync(await exports.CertificationLearnersAsync(Admin, safety));

        Assert.Equal(5, rows.Count);
        Assert.Equal(2, commands.Count); // The certification's name, then the rows.
    }

    [Fact]
    public async Task ACertificationsAuditTrailHoldsItsChangesEachLearnersCorrectionsAndTheImportedCompletions()
    {
        var export = await exports.CertificationAuditTrailAsync(Admin, safety);
        var rows = await ReadAsync(export);

        Assert.Equal("Workplace Safety", export!.Name);
        Assert.Equal(
            [
                "Updated Workplace Safety",
                "CompletionImported Bob Imported <bob.imported@example.com>",
                "MarkedComplete Cy Override <cy.override@example.com>",
                "Exempted Dee Exempt <dee.exempt@example.com>",
                "DueDateSet Eve Pending <eve.pending@example.com>",
            ],
            rows.Select(r => $"{r.Action} {r.Concerning}"));
        Assert.All(rows, r => Assert.Equal("admin@example.com", r.Actor));
        Assert.Equal(Now.AddMinutes(1), rows[1].At);
        Assert.Equal("""{"CompletedOn":"2025-11-15","ExpiresOn":null,"Evidence":"Old LMS"}""", rows[1].Changes);
        Assert.Contains("\"Reason\":\"Works from home\"", rows[3].Changes, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ALearnersAuditTrailHoldsTheirProfileTheirCorrectionsInEveryCertificationAndRefusedLooksAtTheirRecord()
    {
        var learner = new Actor("eve.pending@example.com", learners["Eve"], new HashSet<string> { PortalRoles.Learner });
        await Assert.ThrowsAsync<AccessDeniedException>(() => new LearnerPanelService(database.Factory, new AccessGuard(database.Factory, time), time, OrganisationCalendar.Utc)
            .GetPanelAsync(learner, learners["Dee"]));

        var export = await exports.LearnerAuditTrailAsync(Admin, learners["Dee"]);
        var rows = await ReadAsync(export);

        Assert.Equal("Dee Exempt", export!.Name);
        Assert.Equal(
            [
                "admin@example.com Updated Dee Exempt <dee.exempt@example.com>",
                "admin@example.com Exempted Workplace Safety",
                "admin@example.com Exempted Forklift",
                "eve.pending@example.com AccessDenied Dee Exempt <dee.exempt@example.com>",
            ],
            rows.Select(r => $"{r.Actor} {r.Action} {r.Concerning}"));
        Assert.Contains("Does not drive", rows[2].Changes, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OnlyAdminsExportAndAnUnknownSubjectHasNoExport()
    {
        var manager = new Actor("maria@example.com", learners["Ann"], new HashSet<string> { PortalRoles.Learner, PortalRoles.Manager });

        await Assert.ThrowsAsync<AccessDeniedException>(() => exports.CertificationLearnersAsync(manager, safety));
        await Assert.ThrowsAsync<AccessDeniedException>(() => exports.CertificationAuditTrailAsync(manager, safety));
        await Assert.ThrowsAsync<AccessDeniedException>(() => exports.LearnerAuditTrailAsync(manager, learners["Ann"]));
        Assert.Null(await exports.CertificationLearnersAsync(Admin, 999));
        Assert.Null(await exports.CertificationAuditTrailAsync(Admin, 999));
        Assert.Null(await exports.LearnerAuditTrailAsync(Admin, 999));
    }
}
