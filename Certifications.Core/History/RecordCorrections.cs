using Certifications.Core.Auditing;
using Certifications.Core.Events;
using Certifications.Core.Notifications;
using Certifications.Core.Persistence;
using Certifications.Core.Progress;
using Certifications.Core.Security;
using Certifications.Core.Time;
using FluentValidation;
using Microsoft.EntityFrameworkCore;

namespace Certifications.Core.History;

/// <summary>
/// An admin's corrections of one learner's record, from the profile card: mark complete with evidence, set a due date for
/// the learner, exempt them, revoke a completion. Each is audited with who and why (entity "Assignment",
/// "certification:learner"), recomputes the assignment by the rules in the same transaction, and is undone by another
/// audited action, never by deleting: a revoked completion can be restored, a due date or an exemption lifted.
/// </summary>
public sealed class RecordCorrections(
    IDbContextFactory<CertificationsDbContext> factory,
    TimeProvider time,
    OrganisationCalendar calendar,
    AccessGuard guard,
    ProgressRecompute recompute,
    EventHub events)
{
    public const string AuditEntityType = "Assignment";

    public static string AuditEntityId(int certificationId, int learnerId) => FormattableString.Invariant($"{certificationId}:{learnerId}");

    public DateOnly Today => calendar.DateOf(time.GetUtcNow().UtcDateTime);

    /// <summary>What is set on the assignment and its completion records, revoked ones too; null when there is no such assignment.</summary>
    public async Task<AssignmentCorrections?> GetAsync(Actor actor, int assignmentId, CancellationToken ct = default)
    {
        await guard.RequireAdminAsync(actor, "reading a learner's record corrections", ct);
        await using var db = await factory.CreateDbContextAsync(ct);
        var assignment = await db.Assignments.AsNoTracking().Where(a => a.Id == assignmentId)
            .Select(a => new AssignmentCorrections(
                a.Id, a.CertificationId, a.LearnerId, a.Certification!.Name,
                a.DueDateOverride, a.DueDateReason, a.DueDateSetBy, a.ExemptSince, a.ExemptUntil, a.ExemptReason, a.ExemptBy, new List<CompletionRecordView>()))
            .SingleOrDefaultAsync(ct);
        if (assignment is null)
        {
            return null;
        }

        var records = await db.CompletionRecords.AsNoTracking()
            .Where(r => r.LearnerId == assignment.LearnerId && r.CertificationId == assignment.CertificationId)
            .OrderByDescending(r => r.CompletedAt)
            .Select(r => new CompletionRecordView(
                r.Id, r.Source, r.CompletedAt, r.ExpiresAt, r.Evidence, r.EvidenceFileName, r.RecordedBy, r.RecordedAt, r.RevokedAt, r.RevokedBy, r.RevokedReason))
            .ToListAsync(ct);
        return assignment with { Records = records };
    }

    /// <summary>
    /// The evidence file of a record, for download; null when there is no such record or it has no file. Admins read any;
    /// a learner reads their own, as the explanation of their status names it (not of a certification invisible to them).
    /// A manager reads the explanation but not the file: it is the learner's document, not the portal's certificate.
    /// </summary>
    /// <exception cref="AccessDeniedException">The actor may not read it; the refusal is audited.</exception>
    public async Task<EvidenceFile?> GetEvidenceFileAsync(Actor actor, long recordId, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        await guard.RequireSignedInAsync(actor, "completion evidence", ct);
        await using var db = await factory.CreateDbContextAsync(ct);
        var record = await db.CompletionRecords.AsNoTracking()
            .Where(r => r.Id == recordId && r.EvidenceFile != null)
            .Select(r => new { r.LearnerId, Invisible = db.Certifications.Where(c => c.Id == r.CertificationId).Select(c => c.IsInvisible).Single() })
            .SingleOrDefaultAsync(ct);
        if (record is null)
        {
            return null;
        }

        if (!actor.IsAdmin && (actor.LearnerId != record.LearnerId || record.Invisible))
        {
            var what = FormattableString.Invariant($"learner #{record.LearnerId}");
            await guard.RecordDeniedAsync(actor, what, ct);
            throw new AccessDeniedException($"You do not have access to {what}.");
        }

        return await db.CompletionRecords.AsNoTracking()
            .Where(r => r.Id == recordId)
            .Select(r => new EvidenceFile(r.EvidenceFileName ?? "evidence", r.EvidenceContentType ?? "application/octet-stream", r.EvidenceFile!))
            .SingleAsync(ct);
    }

    /// <summary>Marks the assignment complete on the given day (its start in the organisation's zone) with the evidence.</summary>
    public async Task MarkCompleteAsync(Actor actor, int assignmentId, MarkCompleteRequest request, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        await guard.RequireAdminAsync(actor, "marking a learner's certification complete", ct);
        await new MarkCompleteRequestValidator(Today).ValidateAndThrowAsync(request, ct);
        var completedAt = calendar.StartOfDay(request.CompletedOn!.Value);
        await ChangeAsync(actor, assignmentId, "MarkedComplete", async (db, assignment, now) =>
        {
            if (await db.CompletionRecords.AnyAsync(r => r.LearnerId == assignment.LearnerId && r.CertificationId == assignment.CertificationId && r.CompletedAt == completedAt, ct))
            {
                throw new CorrectionException("A completion on that day is already recorded for this learner; restore it if it was revoked.");
            }

            db.CompletionRecords.Add(new CompletionRecord
            {
                LearnerId = assignment.LearnerId,
                CertificationId = assignment.CertificationId,
                Source = CompletionSource.AdminOverride,
                CompletedAt = completedAt,
                Evidence = request.Evidence.Trim(),
                EvidenceFileName = request.File?.FileName,
                EvidenceContentType = request.File?.ContentType,
                EvidenceFile = request.File?.Content,
                RecordedBy = actor.Name,
                RecordedAt = now,
            });
            return new { CompletedOn = request.CompletedOn, Evidence = request.Evidence.Trim(), File = request.File?.FileName };
        }, ct);
    }

    /// <summary>Revokes a completion record (imported or an admin's): the rules no longer see it. Undone by <see cref="RestoreCompletionAsync"/>.</summary>
    public Task RevokeCompletionAsync(Actor actor, int assignmentId, long recordId, ReasonRequest request, CancellationToken ct = default) =>
        SetRevokedAsync(actor, assignmentId, recordId, request, revoke: true, ct);

    /// <summary>Restores a revoked completion record.</summary>
    public Task RestoreCompletionAsync(Actor actor, int assignmentId, long recordId, ReasonRequest request, CancellationToken ct = default) =>
        SetRevokedAsync(actor, assignmentId, recordId, request, revoke: false, ct);

    /// <summary>Sets (or extends) the learner's own due date, which replaces the certification's.</summary>
    public async Task SetDueDateAsync(Actor actor, int assignmentId, DateWithReasonRequest request, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        await guard.RequireAdminAsync(actor, "setting a learner's due date", ct);
        await new DueDateRequestValidator().ValidateAndThrowAsync(request, ct);
        await ChangeAsync(actor, assignmentId, "DueDateSet", (_, assignment, _) =>
        {
            var from = assignment.DueDateOverride;
            assignment.DueDateOverride = request.Date;
            assignment.DueDateReason = request.Reason.Trim();
            assignment.DueDateSetBy = actor.Name;
            return Task.FromResult<object>(new { From = from, To = request.Date, Reason = request.Reason.Trim() });
        }, ct);
    }

    /// <summary>Lifts the learner's own due date: the certification's applies again.</summary>
    public async Task ClearDueDateAsync(Actor actor, int assignmentId, ReasonRequest request, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        await guard.RequireAdminAsync(actor, "lifting a learner's due date", ct);
        await new ReasonRequestValidator().ValidateAndThrowAsync(request, ct);
        await ChangeAsync(actor, assignmentId, "DueDateLifted", (_, assignment, _) =>
        {
            var from = assignment.DueDateOverride ?? throw new CorrectionException("No due date is set for this learner.");
            assignment.DueDateOverride = null;
            assignment.DueDateReason = null;
            assignment.DueDateSetBy = null;
            return Task.FromResult<object>(new { From = from, Reason = request.Reason.Trim() });
        }, ct);
    }

    /// <summary>Exempts the learner from now, until the end of the given day or until lifted.</summary>
    public async Task ExemptAsync(Actor actor, int assignmentId, DateWithReasonRequest request, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        await guard.RequireAdminAsync(actor, "exempting a learner", ct);
        await new ExemptionRequestValidator(Today).ValidateAndThrowAsync(request, ct);
        await ChangeAsync(actor, assignmentId, "Exempted", (_, assignment, now) =>
        {
            assignment.ExemptSince = now;
            assignment.ExemptUntil = request.Date;
            assignment.ExemptReason = request.Reason.Trim();
            assignment.ExemptBy = actor.Name;
            return Task.FromResult<object>(new { Until = request.Date, Reason = request.Reason.Trim() });
        }, ct);
    }

    /// <summary>Lifts the exemption: the assignment reads as the rules say again.</summary>
    public async Task EndExemptionAsync(Actor actor, int assignmentId, ReasonRequest request, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        await guard.RequireAdminAsync(actor, "lifting a learner's exemption", ct);
        await new ReasonRequestValidator().ValidateAndThrowAsync(request, ct);
        await ChangeAsync(actor, assignmentId, "ExemptionLifted", (_, assignment, _) =>
        {
            var since = assignment.ExemptSince ?? throw new CorrectionException("The learner is not exempt.");
            var reason = assignment.ExemptReason;
            assignment.ExemptSince = null;
            assignment.ExemptUntil = null;
            assignment.ExemptReason = null;
            assignment.ExemptBy = null;
            return Task.FromResult<object>(new { Since = since, WasFor = reason, Reason = request.Reason.Trim() });
        }, ct);
    }

    private async Task SetRevokedAsync(Actor actor, int assignmentId, long recordId, ReasonRequest request, bool revoke, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        await guard.RequireAdminAsync(actor, revoke ? "revoking a completion" : "restoring a completion", ct);
        await new ReasonRequestValidator().ValidateAndThrowAsync(request, ct);
        await ChangeAsync(actor, assignmentId, revoke ? "CompletionRevoked" : "CompletionRestored", async (db, assignment, now) =>
        {
            var record = await db.CompletionRecords.SingleOrDefaultAsync(
                    r => r.Id == recordId && r.LearnerId == assignment.LearnerId && r.CertificationId == assignment.CertificationId, ct)
                ?? throw new CorrectionException("That completion is not on this learner's record.");
            if (revoke == record.RevokedAt is not null)
            {
                throw new CorrectionException(revoke ? "That completion is already revoked." : "That completion is not revoked.");
            }

            record.RevokedAt = revoke ? now : null;
            record.RevokedBy = revoke ? actor.Name : null;
            record.RevokedReason = revoke ? request.Reason.Trim() : null;
            return new { Record = record.Id, record.Source, CompletedOn = calendar.DateOf(record.CompletedAt), Reason = request.Reason.Trim() };
        }, ct);
    }

    /// <summary>
    /// Loads the assignment tracked, applies the change, records it in the audit trail, saves, recomputes the assignment
    /// in the same transaction and announces it after commit.
    /// </summary>
    private async Task ChangeAsync(
        Actor actor,
        int assignmentId,
        string action,
        Func<CertificationsDbContext, Enrollment.Assignment, DateTime, Task<object>> change,
        CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await using var db = await factory.CreateDbContextAsync(ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var assignment = await db.Assignments.SingleOrDefaultAsync(a => a.Id == assignmentId, ct)
            ?? throw new CorrectionException("The learner no longer holds this certification.");
        var changes = await change(db, assignment, now);
        AuditTrail.Record(db, now, actor.Name, AuditEntityType, AuditEntityId(assignment.CertificationId, assignment.LearnerId), action, changes);
        await db.SaveChangesAsync(ct);
        var notifications = new NotificationOutbox();
        await recompute.RecomputeAsync(db, db.Assignments.Where(a => a.Id == assignmentId), now, knownTerms: null, transitions: null, notifications, ResultsToRead.All, ct);
        await transaction.CommitAsync(ct);

        // Announced even when the status stays: the explanation names the correction.
        await events.PublishAsync(new AssignmentsChanged(assignment.CertificationId, [assignment.LearnerId]));
        await notifications.AnnounceAsync(events);
    }
}
