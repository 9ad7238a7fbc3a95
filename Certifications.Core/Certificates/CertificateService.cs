using System.Runtime.CompilerServices;
using System.Text.Json;
using Certifications.Core.Auditing;
using Certifications.Core.Persistence;
using Certifications.Core.Security;
using Certifications.Core.Time;
using Microsoft.EntityFrameworkCore;

namespace Certifications.Core.Certificates;

/// <summary>Where certificates point their readers: the organisation's name and the portal's public address.</summary>
public sealed record CertificateSettings(string OrganisationName, string BaseUrl)
{
    public string VerifyUrl(string code) => $"{BaseUrl.TrimEnd('/')}/verify/{VerificationCode.Display(code)}";
}

/// <summary>A certificate ready to download.</summary>
public sealed record CertificateFile(string FileName, byte[] Content);

/// <summary>
/// Certificates of completed periods: the PDF a learner (or an admin, or their manager) downloads, and the public check
/// of a verification code.
/// </summary>
/// <remarks>
/// Codes are given out lazily, when certificates are asked for, rather than by the progress rules: one statement finds
/// every completed period of the learner without a certificate and one inserts them all, so any number of periods costs
/// the same two statements and the rules stay unaware of certificates.
/// </remarks>
public sealed class CertificateService(
    IDbContextFactory<CertificationsDbContext> factory,
    AccessGuard guard,
    TimeProvider time,
    OrganisationCalendar calendar,
    CertificateSettings settings)
{
    internal const string WithdrawnReason = "The completion it certified no longer stands.";

    /// <summary>
    /// The certificate of period <paramref name="number"/> of the learner's assignment to the certification; null when
    /// that period is not completed (or the certification is invisible and the learner asks for their own).
    /// </summary>
    public async Task<CertificateFile?> GetDocumentAsync(Actor actor, int learnerId, int certificationId, int number, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        await guard.RequireLearnerAccessAsync(actor, learnerId, ct);
        var now = time.GetUtcNow().UtcDateTime;
        await using var db = await factory.CreateDbContextAsync(ct);
        await IssueMissingAsync(db, learnerId, now, ct);

        // Learners never see invisible certifications on their own panel; their certificates are not theirs to fetch either.
        var showInvisible = actor.LearnerId != learnerId;
        var found = await db.Certificates.AsNoTracking()
            .Where(c => c.RevokedAt == null
                && c.Period!.CompletedAt != null
                && c.Period.Number == number
                && c.Period.Assignment!.LearnerId == learnerId
                && c.Period.Assignment.CertificationId == certificationId
                && (showInvisible || !c.Period.Assignment.Certification!.IsInvisible))
            .Select(c => new
            {
                c.Code,
                Learner = c.Period!.Assignment!.Learner!.Name,
                Certification = c.Period.Assignment.Certification!.Name,
                CompletedAt = c.Period.CompletedAt!.Value,
                c.Period.ExpiresAt,
            })
            .SingleOrDefaultAsync(ct);
        if (found is null)
        {
            return null;
        }

        var content = new CertificateContent(
            settings.OrganisationName,
            found.Learner,
            found.Certification,
            calendar.DateOf(found.CompletedAt),
            found.ExpiresAt is { } expires ? calendar.DateOf(expires) : null,
            found.Code,
            settings.VerifyUrl(found.Code),
            now);
        var suffix = number == 1 ? "" : $" - renewal {number - 1}";
        return new CertificateFile(FileName($"{found.Learner} - {found.Certification}{suffix}.pdf"), CertificatePdf.Render(content));
    }

    /// <summary>
    /// What anyone holding a code may learn: whether the certificate is valid, expired, revoked or unknown, and for a valid
    /// or expired one whose it is, of what, and its dates. Nothing else: no email, no other certification.
    /// </summary>
    /// <remarks>
    /// A certificate stands as long as the completion it certifies does, with the dates that completion has now (a late
    /// result can move it earlier). Withdrawing an assignment, or retiring or deleting the certification, keeps the
    /// learner's completions, so their certificates stay valid until they expire and read expired after. A completion
    /// that no longer stands (its period was removed with its results or its assignment, or re-derived as not completed)
    /// revokes its certificate, recorded on first sight so that "revoked since" keeps its date; an admin may also revoke.
    /// </remarks>
    public async Task<CertificateVerification> VerifyAsync(string? typed, CancellationToken ct = default)
    {
        if (VerificationCode.Normalize(typed) is not { } code)
        {
            return CertificateVerification.Unknown;
        }

        var now = time.GetUtcNow().UtcDateTime;
        await using var db = await factory.CreateDbContextAsync(ct);
        await RevokeLapsedAsync(db, db.Certificates.Where(c => c.Code == code), now, ct);
        var found = await db.Certificates.AsNoTracking()
            .Where(c => c.Code == code)
            .Select(c => new
            {
                c.RevokedAt,
                Learner = c.Period!.Assignment!.Learner!.Name,
                Certification = c.Period.Assignment.Certification!.Name,
                c.Period.CompletedAt,
                c.Period.ExpiresAt,
            })
            .SingleOrDefaultAsync(ct);
        if (found is null)
        {
            return CertificateVerification.Unknown;
        }

        if (found.RevokedAt is { } revokedAt)
        {
            return CertificateVerification.Unknown with { State = CertificateState.Revoked, RevokedOn = calendar.DateOf(revokedAt) };
        }

        var expired = found.ExpiresAt <= now;
        return new CertificateVerification(
            expired ? CertificateState.Expired : CertificateState.Valid,
            found.Learner,
            found.Certification,
            calendar.DateOf(found.CompletedAt!.Value),
            found.ExpiresAt is { } expires ? calendar.DateOf(expires) : null,
            null);
    }

    /// <summary>An admin's revocation: the certificate reads revoked from now on, whatever its period does.</summary>
    public async Task<bool> RevokeAsync(Actor actor, string code, string reason, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        await guard.RequireAdminAsync(actor, "revoking certificates", ct);
        var stored = VerificationCode.Normalize(code);
        var now = time.GetUtcNow().UtcDateTime;
        await using var db = await factory.CreateDbContextAsync(ct);
        var certificate = await db.Certificates.SingleOrDefaultAsync(c => c.Code == stored && c.RevokedAt == null, ct);
        if (certificate is null)
        {
            return false;
        }

        certificate.RevokedAt = now;
        certificate.RevokedReason = reason.Length > Certificate.RevokedReasonMaxLength ? reason[..Certificate.RevokedReasonMaxLength] : reason;
        AuditTrail.Record(db, now, actor.Name, "Certificate", certificate.Id, "Revoked", new { Reason = certificate.RevokedReason });
        await db.SaveChangesAsync(ct);
        return true;
    }

    /// <summary>
    /// Gives a code to every completed period without a certificate (of one learner, or of everyone), in two statements
    /// whatever their number. Idempotent: a period that got one meanwhile, from another request, is left alone.
    /// </summary>
    internal static async Task<int> IssueMissingAsync(CertificationsDbContext db, int? learnerId, DateTime now, CancellationToken ct)
    {
        var missing = await db.Periods
            .Where(p => p.CompletedAt != null
                && (learnerId == null || p.Assignment!.LearnerId == learnerId)
                && !db.Certificates.Any(c => c.PeriodId == p.Id))
            .Select(p => p.Id)
            .ToListAsync(ct);
        await RevokeLapsedAsync(db, db.Certificates, now, ct);
        if (missing.Count == 0)
        {
            return 0;
        }

        var rows = JsonSerializer.Serialize(missing.Select(id => new object[] { id, VerificationCode.New() }));
        return await db.Database.ExecuteSqlAsync(FormattableStringFactory.Create(IssueSql.For(SqlDialects.Of(db.Database)), rows, now), ct);
    }

    /// <summary>Issuing on each database: {0} the (period, code) pairs as JSON, {1} now. A period that has a certificate keeps it.</summary>
    private static class IssueSql
    {
        private const string Sqlite = """
            INSERT OR IGNORE INTO "Certificates" ("PeriodId", "Code", "IssuedAt")
            SELECT value ->> 0, value ->> 1, {1} FROM json_each({0})
            """;

        private const string PostgreSql = """
            INSERT INTO "Certificates" ("PeriodId", "Code", "IssuedAt")
            SELECT (value ->> 0)::integer, value ->> 1, {1} FROM jsonb_array_elements(CAST({0} AS jsonb))
            ON CONFLICT DO NOTHING
            """;

        public static string For(SqlDialect dialect) => dialect == SqlDialect.PostgreSql ? PostgreSql : Sqlite;
    }

    /// <summary>Records, once, the revocation of certificates whose completion no longer stands.</summary>
    private static Task<int> RevokeLapsedAsync(CertificationsDbContext db, IQueryable<Certificate> certificates, DateTime now, CancellationToken ct) =>
        certificates
            .Where(c => c.RevokedAt == null && (c.PeriodId == null || c.Period!.CompletedAt == null))
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.RevokedAt, now).SetProperty(c => c.RevokedReason, WithdrawnReason), ct);

    /// <summary>A file name any system accepts: the learner and the certification, without path or control characters.</summary>
    private static string FileName(string name)
    {
        var invalid = Path.GetInvalidFileNameChars().Concat(['"', '\\', '/', ':', '*', '?', '<', '>', '|']).ToHashSet();
        return new string([.. name.Select(c => invalid.Contains(c) || char.IsControl(c) ? '_' : c)]);
    }
}

public enum CertificateState
{
    Unknown,
    Valid,
    Expired,
    Revoked,
}

/// <summary>
/// The answer to a verification code. Names and dates are set for a valid or expired certificate only;
/// <paramref name="RevokedOn"/> for a revoked one.
/// </summary>
public sealed record CertificateVerification(
    CertificateState State,
    string? LearnerName,
    string? CertificationName,
    DateOnly? CompletedOn,
    DateOnly? ExpiresOn,
    DateOnly? RevokedOn)
{
    public static CertificateVerification Unknown { get; } = new(CertificateState.Unknown, null, null, null, null, null);
}
