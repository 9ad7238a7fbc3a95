using System.Globalization;
using System.Runtime.CompilerServices;
using Certifications.Core.Auditing;
using Certifications.Core.Certifications;
using Certifications.Core.Events;
using Certifications.Core.Notifications;
using Certifications.Core.Persistence;
using Certifications.Core.Progress;
using Certifications.Core.Security;
using Certifications.Core.Time;
using Microsoft.EntityFrameworkCore;

namespace Certifications.Core.History;

/// <summary>
/// Brings in historic completions from another system. Each row is a completion record (source Imported) keyed by
/// learner, certification and completion instant, so the same file imported twice changes nothing. The rows are checked
/// one by one, then stored and the touched assignments recomputed by the rules, all in one transaction: a file with one
/// bad row stores nothing, and a dry run is the same work rolled back, so what it reports is what applying does.
/// Set-based: a fixed handful of statements whatever the number of rows (learners, certifications and stored keys read
/// once each, the records inserted as JSON rows, one recompute of the touched assignments), never one per row.
/// </summary>
public sealed class CompletionImport(
    IDbContextFactory<CertificationsDbContext> factory,
    TimeProvider time,
    OrganisationCalendar calendar,
    AccessGuard guard,
    ProgressRecompute recompute,
    EventHub events)
{
    private const int RowsPerStatement = 5_000;

    /// <summary>Checks the rows and, unless <paramref name="dryRun"/> or a row is bad, applies them; the report is the same either way.</summary>
    /// <exception cref="AccessDeniedException">The actor is neither an admin nor an API client.</exception>
    /// <param name="progress">Told the rows checked, then the assignments recomputed, as the work goes.</param>
    public async Task<ImportReport> ImportAsync(
        Actor actor, IReadOnlyList<ImportRow> rows, bool dryRun, IProgress<OperationProgress>? progress = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(rows);
        await guard.RequireAdminOrApiClientAsync(actor, "importing historic completions", ct);
        var now = time.GetUtcNow().UtcDateTime;

        await using var db = await factory.CreateDbContextAsync(ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        progress?.Report(new OperationProgress(OperationProgress.CheckingRows, 0, rows.Count));
        var checkedRows = await CheckAsync(db, rows, now, ct);
        progress?.Report(new OperationProgress(OperationProgress.CheckingRows, rows.Count, rows.Count));
        if (checkedRows.All(r => r.Report.Verdict != ImportVerdict.KeptAsHistory))
        {
            // Nothing to store: rows already recorded change nothing.
            return new ImportReport(Applied: false, [.. checkedRows.Select(r => r.Report)]);
        }

        // A bad row stops the whole file; the good rows are still worked out, as in a dry run, so the report says what they would do.
        var applying = !dryRun && !checkedRows.Any(r => r.Report.IsBad);

        var toRecord = checkedRows.Where(r => r.Report.Verdict == ImportVerdict.KeptAsHistory).ToList();
        var pairs = toRecord.Select(r => (r.Report.LearnerId!.Value, r.Report.CertificationId!.Value)).Distinct().ToList();
        var assignments = await AssignmentsOfAsync(db, pairs, ct);
        var before = await CompletedPeriodsAsync(db, assignments.Values, ct);
        var recordIds = await InsertAsync(db, toRecord, actor.Name, now, ct);

        var changed = new List<AssignmentKey>();
        var notifications = new NotificationOutbox();
        var recomputed = 0;
        progress?.Report(new OperationProgress(OperationProgress.Recomputing, 0, assignments.Count));
        foreach (var chunk in assignments.Values.Chunk(ProgressRecompute.BatchSize * 10))
        {
            var scope = db.Assignments.Where(a => EF.Parameter(chunk).Contains(a.Id));
            changed.AddRange(await recompute.RecomputeAsync(db, scope, now, knownTerms: null, transitions: null, notifications, ResultsToRead.All, ct));
            recomputed += chunk.Length;
            progress?.Report(new OperationProgress(OperationProgress.Recomputing, recomputed, assignments.Count));
        }

        var after = await CompletedPeriodsAsync(db, assignments.Values, ct);
        var reports = checkedRows.Select(r => r.Report.Verdict == ImportVerdict.KeptAsHistory
            ? Classify(r.Report, recordIds, assignments, before, after)
            : r.Report).ToList();
        var report = new ImportReport(Applied: applying, reports);
        if (!applying)
        {
            await transaction.RollbackAsync(ct);
            return report;
        }

        AuditTrail.Record(db, now, actor.Name, "CompletionRecords", "import", "Imported", new
        {
            Rows = rows.Count,
            report.NewPeriods,
            report.Earlier,
            report.KeptAsHistory,
            report.AlreadyRecorded,
            AssignmentsChanged = changed.Count,
        });
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        foreach (var certification in changed.GroupBy(k => k.CertificationId).OrderBy(g => g.Key))
        {
            await events.PublishAsync(new AssignmentsChanged(certification.Key, [.. certification.Select(k => k.LearnerId).Distinct().Order()]));
        }

        await notifications.AnnounceAsync(events);
        return report;
    }

    private sealed record CheckedRow(ImportRowReport Report, string? Evidence);

    /// <summary>
    /// Every row's verdict before anything is stored: bad rows with their reason, rows already recorded, and the rest
    /// marked <see cref="ImportVerdict.KeptAsHistory"/> until the recompute tells what they do.
    /// </summary>
    private async Task<List<CheckedRow>> CheckAsync(CertificationsDbContext db, IReadOnlyList<ImportRow> rows, DateTime now, CancellationToken ct)
    {
        var learners = await LearnersAsync(db, rows, ct);
        var certifications = await CertificationsAsync(db, rows, ct);
        var parsed = rows.Select(row => Parse(row, learners, certifications, now)).ToList();
        var stored = await StoredKeysAsync(db, parsed.Where(p => !p.Report.IsBad).Select(p => p.Report), ct);
        var seen = new Dictionary<(int, int, DateTime), int>();
        for (var i = 0; i < parsed.Count; i++)
        {
            var report = parsed[i].Report;
            if (report.IsBad)
            {
                continue;
            }

            var key = (report.LearnerId!.Value, report.CertificationId!.Value, report.CompletedAt!.Value);
            if (stored.Contains(key))
            {
                parsed[i] = parsed[i] with { Report = report with { Verdict = ImportVerdict.AlreadyRecorded, Reason = "Already recorded: nothing changes" } };
            }
            else if (seen.TryGetValue(key, out var line))
            {
                parsed[i] = parsed[i] with { Report = report with { Verdict = ImportVerdict.AlreadyRecorded, Reason = $"The same completion as line {line}: nothing more changes" } };
            }
            else
            {
                seen[key] = report.Line;
            }
        }

        return parsed;
    }

    private CheckedRow Parse(ImportRow row, Dictionary<string, (int Id, string Name)> learners, Dictionary<string, (int Id, string Name)> certifications, DateTime now)
    {
        var learnerText = row.Learner?.Trim() ?? "";
        var certificationText = row.Certification?.Trim() ?? "";
        CheckedRow Bad(ImportVerdict verdict, string reason, int? learnerId = null, int? certificationId = null, DateTime? completedAt = null, DateTime? expiresAt = null) =>
            new(new ImportRowReport(row.Line, learnerText, certificationText, learnerId, certificationId, completedAt, expiresAt, verdict, reason), null);

        if (learnerText.Length == 0)
        {
            return Bad(ImportVerdict.Invalid, "No learner: give their email or id");
        }

        if (!learners.TryGetValue(LearnerKey(learnerText), out var learner))
        {
            return Bad(ImportVerdict.UnknownLearner, $"No learner has the email or id \"{learnerText}\"");
        }

        if (certificationText.Length == 0)
        {
            return Bad(ImportVerdict.Invalid, "No certification: give its name or id", learner.Id);
        }

        if (!certifications.TryGetValue(CertificationKey(certificationText), out var certification))
        {
            return Bad(ImportVerdict.UnknownCertification, $"No certification has the name or id \"{certificationText}\"", learner.Id);
        }

        if (string.IsNullOrWhiteSpace(row.CompletedAt))
        {
            return Bad(ImportVerdict.Invalid, "No completed-at date", learner.Id, certification.Id);
        }

        if (ParseInstant(row.CompletedAt) is not { } completedAt)
        {
            return Bad(ImportVerdict.Invalid, $"Completed-at \"{row.CompletedAt.Trim()}\" is not a date (use 2025-03-31 or 2025-03-31T14:30:00Z)", learner.Id, certification.Id);
        }

        DateTime? expiresAt = null;
        if (!string.IsNullOrWhiteSpace(row.ExpiresAt))
        {
            expiresAt = ParseInstant(row.ExpiresAt);
            if (expiresAt is null)
            {
                return Bad(ImportVerdict.Invalid, $"Expires-at \"{row.ExpiresAt.Trim()}\" is not a date (use 2026-03-31)", learner.Id, certification.Id, completedAt);
            }
        }

        if (completedAt > now)
        {
            return Bad(ImportVerdict.DateInFuture, $"Completed on {Describe(completedAt)}, which is later than now", learner.Id, certification.Id, completedAt, expiresAt);
        }

        if (expiresAt <= completedAt)
        {
            return Bad(ImportVerdict.ExpiryBeforeCompletion, $"Expires on {Describe(expiresAt!.Value)}, not after the completion on {Describe(completedAt)}", learner.Id, certification.Id, completedAt, expiresAt);
        }

        var evidence = string.IsNullOrWhiteSpace(row.Evidence) ? null : row.Evidence.Trim();
        if (evidence?.Length > CompletionRecord.EvidenceMaxLength)
        {
            return Bad(ImportVerdict.Invalid, $"The evidence is longer than {CompletionRecord.EvidenceMaxLength} characters", learner.Id, certification.Id, completedAt, expiresAt);
        }

        return new CheckedRow(
            new ImportRowReport(row.Line, learnerText, certificationText, learner.Id, certification.Id, completedAt, expiresAt, ImportVerdict.KeptAsHistory, ""),
            evidence);
    }

    /// <summary>
    /// An instant as the file gives it: with a zone (Z or an offset) as is; a date and time without one, or a date alone
    /// (the start of that day), in the organisation's zone.
    /// </summary>
    internal DateTime? ParseInstant(string text)
    {
        var trimmed = text.Trim();
        if (DateOnly.TryParseExact(trimmed, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return calendar.StartOfDay(date);
        }

        var hasZone = trimmed.EndsWith('Z') || trimmed.EndsWith('z') || (trimmed.Length > 19 && trimmed[^6] is '+' or '-');
        if (hasZone && DateTimeOffset.TryParse(trimmed, CultureInfo.InvariantCulture, DateTimeStyles.None, out var instant))
        {
            return instant.UtcDateTime;
        }

        return !hasZone && DateTime.TryParse(trimmed, CultureInfo.InvariantCulture, DateTimeStyles.None, out var local)
            ? calendar.ToUtc(DateTime.SpecifyKind(local, DateTimeKind.Unspecified))
            : null;
    }

    private string Describe(DateTime utc) => calendar.DateOf(utc).ToString("d MMM yyyy", CultureInfo.InvariantCulture);

    private static string LearnerKey(string text) => int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? $"#{id}" : text.ToUpperInvariant();

    private static string CertificationKey(string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? $"#{id}" : CertificationDraft.NormalizeName(text);

    /// <summary>The learners the rows name, by id ("#12") and by normalised email, in one query.</summary>
    private static async Task<Dictionary<string, (int Id, string Name)>> LearnersAsync(CertificationsDbContext db, IReadOnlyList<ImportRow> rows, CancellationToken ct)
    {
        var keys = rows.Where(r => !string.IsNullOrWhiteSpace(r.Learner)).Select(r => LearnerKey(r.Learner!.Trim())).Distinct().ToList();
        var ids = keys.Where(k => k.StartsWith('#')).Select(k => int.Parse(k.AsSpan(1), CultureInfo.InvariantCulture)).ToList();
        var emails = keys.Where(k => !k.StartsWith('#')).ToList();
        var found = await db.Learners.AsNoTracking()
            .Where(l => EF.Parameter(ids).Contains(l.Id) || EF.Parameter(emails).Contains(l.NormalizedEmail))
            .Select(l => new { l.Id, l.Name, l.NormalizedEmail })
            .ToListAsync(ct);
        var byKey = new Dictionary<string, (int, string)>();
        foreach (var learner in found)
        {
            byKey[$"#{learner.Id}"] = (learner.Id, learner.Name);
            byKey[learner.NormalizedEmail] = (learner.Id, learner.Name);
        }

        return byKey;
    }

    /// <summary>Certifications by id and by name; a deleted one is no certification to import into.</summary>
    private static async Task<Dictionary<string, (int Id, string Name)>> CertificationsAsync(CertificationsDbContext db, IReadOnlyList<ImportRow> rows, CancellationToken ct)
    {
        var keys = rows.Where(r => !string.IsNullOrWhiteSpace(r.Certification)).Select(r => CertificationKey(r.Certification!.Trim())).Distinct().ToList();
        var ids = keys.Where(k => k.StartsWith('#')).Select(k => int.Parse(k.AsSpan(1), CultureInfo.InvariantCulture)).ToList();
        var names = keys.Where(k => !k.StartsWith('#')).ToList();
        var found = await db.Certifications.AsNoTracking()
            .Where(c => c.State != CertificationState.Deleted && (EF.Parameter(ids).Contains(c.Id) || EF.Parameter(names).Contains(c.NormalizedName)))
            .Select(c => new { c.Id, c.Name, c.NormalizedName })
            .ToListAsync(ct);
        var byKey = new Dictionary<string, (int, string)>();
        foreach (var certification in found)
        {
            byKey[$"#{certification.Id}"] = (certification.Id, certification.Name);
            byKey[certification.NormalizedName] = (certification.Id, certification.Name);
        }

        return byKey;
    }

    /// <summary>The keys among the rows' that are already recorded (revoked ones too: importing again does not restore them).</summary>
    private static async Task<HashSet<(int, int, DateTime)>> StoredKeysAsync(CertificationsDbContext db, IEnumerable<ImportRowReport> rows, CancellationToken ct)
    {
        var found = new HashSet<(int, int, DateTime)>();
        foreach (var chunk in rows.Chunk(RowsPerStatement * 4))
        {
            var dialect = SqlDialects.Of(db.Database);
            var keys = ProgressWrites.Json(chunk.Select(r => new object?[] { r.LearnerId, r.CertificationId, r.CompletedAt }), dialect);
            var stored = await db.Database.SqlQuery<StoredKey>(FormattableStringFactory.Create(ImportSql.StoredKeys(dialect), keys)).ToListAsync(ct);
            found.UnionWith(stored.Select(k => (k.LearnerId, k.CertificationId, ProgressRecompute.StoredInstant(k.CompletedAt))));
        }

        return found;
    }

    private sealed class StoredKey
    {
        public int LearnerId { get; init; }

        public int CertificationId { get; init; }

        public string CompletedAt { get; init; } = "";
    }

    /// <summary>The assignments of the learner and certification pairs, by pair; a learner who does not hold the certification has none.</summary>
    private static async Task<Dictionary<(int LearnerId, int CertificationId), int>> AssignmentsOfAsync(
        CertificationsDbContext db, List<(int LearnerId, int CertificationId)> pairs, CancellationToken ct)
    {
        var found = new Dictionary<(int, int), int>();
        foreach (var chunk in pairs.Chunk(RowsPerStatement * 4))
        {
            var dialect = SqlDialects.Of(db.Database);
            var json = ProgressWrites.Json(chunk.Select(p => new object?[] { p.LearnerId, p.CertificationId }), dialect);
            var rows = await db.Database.SqlQuery<AssignmentOfPair>(FormattableStringFactory.Create(ImportSql.AssignmentsOf(dialect), json)).ToListAsync(ct);
            foreach (var row in rows)
            {
                found[(row.LearnerId, row.CertificationId)] = row.Id;
            }
        }

        return found;
    }

    private sealed class AssignmentOfPair
    {
        public int Id { get; init; }

        public int LearnerId { get; init; }

        public int CertificationId { get; init; }
    }

    private sealed record CompletedPeriod(int AssignmentId, int Number, DateTime CompletedAt, long? CompletionRecordId);

    /// <summary>The completed periods of the assignments, by assignment.</summary>
    private static async Task<ILookup<int, CompletedPeriod>> CompletedPeriodsAsync(CertificationsDbContext db, ICollection<int> assignmentIds, CancellationToken ct)
    {
        var periods = new List<CompletedPeriod>();
        foreach (var chunk in assignmentIds.Chunk(RowsPerStatement * 4))
        {
            periods.AddRange(await db.Periods.AsNoTracking()
                .Where(p => EF.Parameter(chunk).Contains(p.AssignmentId) && p.CompletedAt != null)
                .Select(p => new CompletedPeriod(p.AssignmentId, p.Number, p.CompletedAt!.Value, p.CompletionRecordId))
                .ToListAsync(ct));
        }

        return periods.ToLookup(p => p.AssignmentId);
    }

    /// <summary>Inserts the rows as completion records, in statements of JSON rows, and reads their ids back by key.</summary>
    private static async Task<Dictionary<(int, int, DateTime), long>> InsertAsync(
        CertificationsDbContext db, List<CheckedRow> rows, string actor, DateTime now, CancellationToken ct)
    {
        var ids = new Dictionary<(int, int, DateTime), long>();
        foreach (var chunk in rows.Chunk(RowsPerStatement))
        {
            var dialect = SqlDialects.Of(db.Database);
            var json = ProgressWrites.Json(
                chunk.Select(r => new object?[] { r.Report.LearnerId, r.Report.CertificationId, r.Report.CompletedAt, r.Report.ExpiresAt, r.Evidence }), dialect);
            var inserted = await db.Database.SqlQuery<InsertedRecord>(FormattableStringFactory.Create(ImportSql.Insert(dialect), json, actor, now)).ToListAsync(ct);
            foreach (var row in inserted)
            {
                ids[(row.LearnerId, row.CertificationId, ProgressRecompute.StoredInstant(row.CompletedAt))] = row.Id;
            }
        }

        return ids;
    }

    private sealed class InsertedRecord
    {
        public long Id { get; init; }

        public int LearnerId { get; init; }

        public int CertificationId { get; init; }

        public string CompletedAt { get; init; } = "";
    }

    /// <summary>What a stored row did, read from the periods before and after the recompute.</summary>
    private ImportRowReport Classify(
        ImportRowReport row,
        Dictionary<(int, int, DateTime), long> recordIds,
        Dictionary<(int LearnerId, int CertificationId), int> assignments,
        ILookup<int, CompletedPeriod> before,
        ILookup<int, CompletedPeriod> after)
    {
        if (!assignments.TryGetValue((row.LearnerId!.Value, row.CertificationId!.Value), out var assignmentId))
        {
            return row with { Reason = "Recorded; the learner does not hold this certification, so it counts once they are assigned" };
        }

        var recordId = recordIds[(row.LearnerId.Value, row.CertificationId.Value, row.CompletedAt!.Value)];
        if (after[assignmentId].FirstOrDefault(p => p.CompletionRecordId == recordId) is not { } period)
        {
            var covering = after[assignmentId].Where(p => p.CompletedAt <= row.CompletedAt).MaxBy(p => p.CompletedAt);
            return row with
            {
                Reason = covering is null
                    ? "Recorded; it completes no period of this learner's assignment as it stands"
                    : $"Recorded; the period it falls in was already completed on {Describe(covering.CompletedAt)}",
            };
        }

        return before[assignmentId].FirstOrDefault(p => p.Number == period.Number) is { } replaced
            ? row with
            {
                Verdict = ImportVerdict.EarlierThanExisting,
                Reason = $"Period {period.Number} now completed on {Describe(period.CompletedAt)}, earlier than the recorded {Describe(replaced.CompletedAt)}",
            }
            : row with { Verdict = ImportVerdict.NewPeriod, Reason = $"New period {period.Number}, completed on {Describe(period.CompletedAt)}" };
    }
}
