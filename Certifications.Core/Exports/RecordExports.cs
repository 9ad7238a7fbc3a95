using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Certifications.Core.Auditing;
using Certifications.Core.History;
using Certifications.Core.Persistence;
using Certifications.Core.Progress;
using Certifications.Core.Security;
using Certifications.Core.Time;
using Microsoft.EntityFrameworkCore;

namespace Certifications.Core.Exports;

/// <summary>
/// What admins take away as files: a certification's learners with their status, dates and what each standing rests on,
/// and the audit trail of a certification or of a learner. Access is checked, and the subject found, before anything is
/// written; the rows are then read in one statement and handed on as they come, whatever their number.
/// </summary>
public sealed class RecordExports(IDbContextFactory<CertificationsDbContext> factory, AccessGuard guard, OrganisationCalendar calendar)
{
    /// <summary>The certification's learners, withdrawn ones too, by name; null when there is no such certification.</summary>
    /// <exception cref="AccessDeniedException">The actor is not an admin.</exception>
    public async Task<Export<LearnerExportRow>?> CertificationLearnersAsync(Actor actor, int certificationId, CancellationToken ct = default)
    {
        await guard.RequireAdminAsync(actor, "exporting a certification's learners", ct);
        return await CertificationNameAsync(certificationId, ct) is { } name ? new Export<LearnerExportRow>(name, LearnerRowsAsync(certificationId, ct)) : null;
    }

    /// <summary>
    /// Everything recorded about the certification, oldest first: its own changes, the corrections of each learner's record,
    /// the revocations of its certificates and the completions imported for it. Null when there is no such certification.
    /// </summary>
    /// <exception cref="AccessDeniedException">The actor is not an admin.</exception>
    public async Task<Export<AuditExportRow>?> CertificationAuditTrailAsync(Actor actor, int certificationId, CancellationToken ct = default)
    {
        await guard.RequireAdminAsync(actor, "exporting a certification's audit trail", ct);
        if (await CertificationNameAsync(certificationId, ct) is not { } name)
        {
            return null;
        }

        var key = Key(certificationId);
        return new Export<AuditExportRow>(name, AuditRowsAsync(dialect => RecordExportsSql.CertificationAuditTrail(dialect, certificationId, key), ct));
    }

    /// <summary>
    /// Everything recorded about the learner, oldest first: their profile, groups and enrolments, the corrections of their
    /// record in each certification, the revocations of their certificates, the completions imported for them and the
    /// refused attempts to read their record. Null when there is no such learner.
    /// </summary>
    /// <exception cref="AccessDeniedException">The actor is not an admin.</exception>
    public async Task<Export<AuditExportRow>?> LearnerAuditTrailAsync(Actor actor, int learnerId, CancellationToken ct = default)
    {
        await guard.RequireAdminAsync(actor, "exporting a learner's audit trail", ct);
        await using var db = await factory.CreateDbContextAsync(ct);
        var name = await db.Learners.AsNoTracking().Where(l => l.Id == learnerId).Select(l => l.Name).SingleOrDefaultAsync(ct);
        if (name is null)
        {
            return null;
        }

        var key = Key(learnerId);
        return new Export<AuditExportRow>(name, AuditRowsAsync(dialect => RecordExportsSql.LearnerAuditTrail(dialect, learnerId, key), ct));
    }

    private static string Key(int id) => id.ToString(CultureInfo.InvariantCulture);

    private async Task<string?> CertificationNameAsync(int certificationId, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        return await db.Certifications.AsNoTracking().Where(c => c.Id == certificationId).Select(c => c.Name).SingleOrDefaultAsync(ct);
    }

    /// <summary>
    /// One statement: each assignment with its learner, its sources (the groups by name), its latest period (the one
    /// under way, or the last completed) and its last completed period.
    /// </summary>
    private async IAsyncEnumerable<LearnerExportRow> LearnerRowsAsync(int certificationId, [EnumeratorCancellation] CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var rows = db.Database.SqlQuery<StoredLearnerRow>(RecordExportsSql.LearnerRows(SqlDialects.Of(db.Database), certificationId));
        await foreach (var row in rows.AsAsyncEnumerable().WithCancellation(ct))
        {
            var status = Enum.Parse<AssignmentStatus>(row.Status);
            var completed = row.Source is { } source ? Enum.Parse<CompletionSource>(source) : (CompletionSource?)null;
            yield return new LearnerExportRow(
                row.LearnerId,
                row.Name,
                row.Email,
                [.. (JsonSerializer.Deserialize<string[]>(row.Groups ?? "[]") ?? []).Order(StringComparer.CurrentCultureIgnoreCase)],
                row.AddedIndividually,
                row.SelfStarted,
                status,
                DateOf(row.PeriodStart),
                DateOf(row.CompletedAt),
                DateOf(row.ExpiresAt),
                row.DueDate is { } due ? DateOnly.ParseExact(due, "yyyy-MM-dd", CultureInfo.InvariantCulture) : null,
                status == AssignmentStatus.Exempt ? StandingSource.Exempt
                    : completed switch
                    {
                        CompletionSource.Results => StandingSource.Results,
                        CompletionSource.Imported => StandingSource.Imported,
                        CompletionSource.AdminOverride => StandingSource.AdminOverride,
                        _ => StandingSource.None,
                    });
        }
    }

    /// <summary>
    /// The audit entries the statement selects, and the imported completion records it adds among them: an import is
    /// audited once for the whole file, so each learner's imported completions are read from the records themselves.
    /// </summary>
    private async IAsyncEnumerable<AuditExportRow> AuditRowsAsync(Func<SqlDialect, FormattableString> sql, [EnumeratorCancellation] CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        await foreach (var row in db.Database.SqlQuery<StoredAuditRow>(sql(SqlDialects.Of(db.Database))).AsAsyncEnumerable().WithCancellation(ct))
        {
            var changes = row.IsRecord
                ? JsonSerializer.Serialize(new { CompletedOn = DateOf(row.CompletedAt), ExpiresOn = DateOf(row.ExpiresAt), Evidence = row.Changes })
                : row.Changes;
            yield return new AuditExportRow(ProgressRecompute.StoredInstant(row.At), row.Actor, row.Action, row.Concerning ?? "", changes);
        }
    }

    private DateOnly? DateOf(string? stored) => stored is null ? null : calendar.DateOf(ProgressRecompute.StoredInstant(stored));

    private sealed class StoredLearnerRow
    {
        public int LearnerId { get; init; }

        public string Name { get; init; } = "";

        public string Email { get; init; } = "";

        public string Status { get; init; } = "";

        public string? Groups { get; init; }

        public bool AddedIndividually { get; init; }

        public bool SelfStarted { get; init; }

        public string? PeriodStart { get; init; }

        public string? CompletedAt { get; init; }

        public string? ExpiresAt { get; init; }

        public string? Source { get; init; }

        public string? DueDate { get; init; }
    }

    private sealed class StoredAuditRow
    {
        public long Id { get; init; }

        public string At { get; init; } = "";

        public string Actor { get; init; } = "";

        public string Action { get; init; } = "";

        public string? Changes { get; init; }

        public string? Concerning { get; init; }

        public bool IsRecord { get; init; }

        public string? CompletedAt { get; init; }

        public string? ExpiresAt { get; init; }
    }
}
