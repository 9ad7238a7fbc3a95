using Certifications.Core.Auditing;
using Certifications.Core.Catalog;
using Certifications.Core.Enrollment;
using Certifications.Core.Events;
using Certifications.Core.History;
using Certifications.Core.Progress;
using Certifications.Core.Security;
using Certifications.Core.Time;
using Certifications.Tests.Core.Progress;
using Certifications.Tests.Infrastructure;
using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace Certifications.Tests.Core.History;

/// <summary>Each correction on the profile card: its effect on the status, the explanation, the audit entry, and its reversal.</summary>
public sealed class RecordCorrectionsTests : IAsyncLifetime
{
    private static readonly DateTime Now = new(2026, 3, 10, 9, 0, 0, DateTimeKind.Utc);
    private static readonly Actor Admin = Actor.Admin("admin@example.com");

    private readonly FakeTimeProvider time = new(new DateTimeOffset(Now));
    private readonly EventHub events = new();
    private TestDatabase database = null!;
    private RecordCorrections corrections = null!;
    private LearnerPanelService panels = null!;
    private int certificationId;
    private int bob;
    private int assignmentId;

    public async Task InitializeAsync()
    {
        database = await TestDatabase.CreateAsync();
        var guard = new AccessGuard(database.Factory, time);
        var recompute = new ProgressRecompute(database.Factory, time, OrganisationCalendar.Utc, events);
        corrections = new RecordCorrections(database.Factory, time, OrganisationCalendar.Utc, guard, recompute, events);
        panels = new LearnerPanelService(database.Factory, guard, time, OrganisationCalendar.Utc);
        var safety = await TestCatalog.AddCourseAsync(database, "Safety 101", gradedSteps: 2);
        await using var db = database.CreateContext();
        certificationId = await ProgressData.AddCertificationAsync(db, "Forklift", [safety.Id], new DateOnly(2026, 3, 1), c => c.DueDate = new DateOnly(2026, 3, 5));
        bob = (await TestCatalog.AddLearnerAsync(db, "Bob Safety")).Id;
        await ProgressData.AssignAsync(db, certificationId, bob, new DateTime(2026, 3, 2, 9, 0, 0, DateTimeKind.Utc));
        assignmentId = (await db.Assignments.SingleAsync()).Id;
        await recompute.RecomputeAllAsync();
    }

    public async Task DisposeAsync() => await database.DisposeAsync();

    private async Task<(AssignmentStatus Stored, PanelCertification Panel)> StandingAsync()
    {
        await using var db = database.CreateContext();
        var stored = (await db.Assignments.AsNoTracking().SingleAsync(a => a.Id == assignmentId)).Status;
        return (stored, Assert.Single((await panels.GetPanelAsync(Admin, bob))!.Certifications));
    }

    private async Task<List<string>> AuditAsync()
    {
        await using var db = database.CreateContext();
        return await db.AuditEntries.AsNoTracking()
            .Where(e => e.EntityType == "Assignment" && e.EntityId == RecordCorrections.AuditEntityId(certificationId, bob))
            .OrderBy(e => e.Id).Select(e => e.Actor + " " + e.Action + " " + e.Changes).ToListAsync();
    }

    [Fact]
    public async Task MarkingCompleteWithEvidenceCompletesAndRevokingAndRestoringItIsReversible()
    {
        Assert.Equal(AssignmentStatus.Overdue, (await StandingAsync()).Stored);

        await corrections.MarkCompleteAsync(Admin, assignmentId, new MarkCompleteRequest
        {
            CompletedOn = new DateOnly(2026, 3, 8),
            Evidence = "Paper certificate",
            File = new EvidenceFile("certificate.pdf", "application/pdf", [1, 2, 3]),
        });
        var completed = await StandingAsync();
        var recordId = (await corrections.GetAsync(Admin, assignmentId))!.Records.Single().Id;

        await corrections.RevokeCompletionAsync(Admin, assignmentId, recordId, new ReasonRequest { Reason = "Wrong learner" });
        var revoked = await StandingAsync();
        await corrections.RestoreCompletionAsync(Admin, assignmentId, recordId, new ReasonRequest { Reason = "It was him after all" });
        var restored = await StandingAsync();

        Assert.Equal(AssignmentStatus.Completed, completed.Stored);
        Assert.Equal("Completed on 8 Mar 2026 (completed by admin override: Paper certificate).", completed.Panel.Summary);
        Assert.Equal(["Completed by admin override on 8 Mar 2026 (admin@example.com): Paper certificate [certificate.pdf]"], completed.Panel.Corrections);
        Assert.Equal(CompletionSource.AdminOverride, Assert.Single(completed.Panel.History).Source);
        Assert.Equal(AssignmentStatus.Overdue, revoked.Stored);
        Assert.Equal(
            ["Completed by admin override on 8 Mar 2026 (admin@example.com): Paper certificate [certificate.pdf]; revoked on 10 Mar 2026 by admin@example.com: Wrong learner"],
            revoked.Panel.Corrections);
        Assert.Equal(AssignmentStatus.Completed, restored.Stored);
        Assert.Equal([1, 2, 3], (await corrections.GetEvidenceFileAsync(Admin, recordId))!.Content);
        var audit = await AuditAsync();
        Assert.Equal(3, audit.Count);
        Assert.StartsWith("admin@example.com MarkedComplete", audit[0], StringComparison.Ordinal);
        Assert.Contains("CompletionRevoked", audit[1], StringComparison.Ordinal);
        Assert.Contains("Wrong learner", audit[1], StringComparison.Ordinal);
        Assert.Contains("CompletionRestored", audit[2], StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheEvidenceFileIsOfferedToAnAdminAndToTheLearnerThemselfAndNamedToTheirManager()
    {
        int maria;
        await using (var db = database.CreateContext())
        {
            maria = (await TestCatalog.AddLearnerAsync(db, "Maria Manager")).Id;
            await db.Learners.Where(l => l.Id == bob).ExecuteUpdateAsync(u => u.SetProperty(l => l.ManagerId, maria));
        }

        await corrections.MarkCompleteAsync(Admin, assignmentId, new MarkCompleteRequest
        {
            CompletedOn = new DateOnly(2026, 3, 8),
            Evidence = "Paper certificate",
            File = new EvidenceFile("certificate.pdf", "application/pdf", [1, 2, 3]),
        });
        var recordId = (await corrections.GetAsync(Admin, assignmentId))!.Records.Single().Id;
        var learner = new Actor("bob.safety@example.com", bob, new HashSet<string> { PortalRoles.Learner });
        var manager = new Actor("maria.manager@example.com", maria, new HashSet<string> { PortalRoles.Learner, PortalRoles.Manager });

        var admins = Assert.Single((await panels.GetPanelAsync(Admin, bob))!.Certifications);
        var own = Assert.Single((await panels.GetPanelAsync(learner, bob))!.Certifications);
        var managers = Assert.Single((await panels.GetPanelAsync(manager, bob))!.Certifications);

        Assert.Equal([new PanelEvidence(recordId, "certificate.pdf")], admins.Evidence);
        Assert.Equal(admins.Evidence, own.Evidence);
        Assert.Empty(managers.Evidence);
        Assert.Contains("[certificate.pdf]", Assert.Single(managers.Corrections), StringComparison.Ordinal);
        Assert.Equal([1, 2, 3], (await corrections.GetEvidenceFileAsync(learner, recordId))!.Content);
        await Assert.ThrowsAsync<AccessDeniedException>(() => corrections.GetEvidenceFileAsync(manager, recordId));
    }

    [Fact]
    public async Task AnEvidenceFileOverFiveMegabytesIsRefusedAndNothingIsRecorded()
    {
        var request = new MarkCompleteRequest
        {
            CompletedOn = new DateOnly(2026, 3, 8),
            Evidence = "Scan",
            File = new EvidenceFile("scan.pdf", "application/pdf", new byte[EvidenceFile.MaxBytes + 1]),
        };

        var refused = await Assert.ThrowsAsync<ValidationException>(() => corrections.MarkCompleteAsync(Admin, assignmentId, request));
        request.File = request.File with { Content = new byte[EvidenceFile.MaxBytes] };
        await corrections.MarkCompleteAsync(Admin, assignmentId, request);

        Assert.Equal(["The file is larger than 5 MB."], refused.Errors.Select(e => e.ErrorMessage));
        Assert.Single((await corrections.GetAsync(Admin, assignmentId))!.Records);
    }

    [Fact]
    public async Task ALearnersOwnDueDateTakesThemOutOfOverdueUntilItIsLifted()
    {
        await corrections.SetDueDateAsync(Admin, assignmentId, new DateWithReasonRequest { Date = new DateOnly(2026, 3, 31), Reason = "Back from leave" });
        var extended = await StandingAsync();
        await corrections.ClearDueDateAsync(Admin, assignmentId, new ReasonRequest { Reason = "Set by mistake" });
        var lifted = await StandingAsync();

        Assert.Equal(AssignmentStatus.NotStarted, extended.Stored);
        Assert.Equal("Not started: 0 of 1 course satisfied; due 31 Mar 2026.", extended.Panel.Summary);
        Assert.Equal(new DateOnly(2026, 3, 31), extended.Panel.DueDate);
        Assert.Equal(["Due date 31 Mar 2026 set for this learner by admin@example.com: Back from leave"], extended.Panel.Corrections);
        Assert.Equal(AssignmentStatus.Overdue, lifted.Stored);
        Assert.Empty(lifted.Panel.Corrections);
        Assert.Equal(["DueDateSet", "DueDateLifted"], (await AuditAsync()).Select(a => a.Split(' ')[1]));
    }

    [Fact]
    public async Task AnExemptLearnerReadsExemptWithTheReasonUntilTheExemptionIsLifted()
    {
        await corrections.ExemptAsync(Admin, assignmentId, new DateWithReasonRequest { Date = new DateOnly(2026, 6, 30), Reason = "Does not drive" });
        var exempt = await StandingAsync();
        await corrections.EndExemptionAsync(Admin, assignmentId, new ReasonRequest { Reason = "Drives again" });
        var lifted = await StandingAsync();

        Assert.Equal(AssignmentStatus.Exempt, exempt.Stored);
        Assert.Equal("Exempt since 10 Mar 2026 until 30 Jun 2026 by admin@example.com: Does not drive", exempt.Panel.Summary);
        Assert.Equal(AssignmentStatus.Overdue, lifted.Stored);
        Assert.Equal(["Exempted", "ExemptionLifted"], (await AuditAsync()).Select(a => a.Split(' ')[1]));
    }

    [Fact]
    public async Task EveryCorrectionNeedsAReasonAndAnAdmin()
    {
        await Assert.ThrowsAsync<ValidationException>(() => corrections.ExemptAsync(Admin, assignmentId, new DateWithReasonRequest { Reason = " " }));
        await Assert.ThrowsAsync<ValidationException>(() => corrections.MarkCompleteAsync(Admin, assignmentId, new MarkCompleteRequest
        {
            CompletedOn = new DateOnly(2026, 3, 8),
            Evidence = "Scan",
            File = new EvidenceFile("scan.exe", "application/x-msdownload", [1]),
        }));
        var learner = new Actor("bob.safety@example.com", bob, new HashSet<string> { PortalRoles.Learner });
        await Assert.ThrowsAsync<AccessDeniedException>(() => corrections.ExemptAsync(learner, assignmentId, new DateWithReasonRequest { Reason = "Myself" }));
        Assert.Empty(await AuditAsync());
    }
}
