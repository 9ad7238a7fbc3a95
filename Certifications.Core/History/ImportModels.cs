namespace Certifications.Core.History;

/// <summary>
/// One row of historic completions as sent (a CSV line or a JSON item), its values as text so that a bad value is a
/// verdict on its row, not a refusal of the file. <paramref name="Line"/> names the row in the report: the CSV line, or
/// the item's position from 1.
/// </summary>
public sealed record ImportRow(int Line, string? Learner, string? Certification, string? CompletedAt, string? ExpiresAt, string? Evidence);

public enum ImportVerdict
{
    /// <summary>The row completes a period the learner had not completed: a new period in their history.</summary>
    NewPeriod,

    /// <summary>The row is earlier than the learner's recorded completion of that period and replaces it as the completion.</summary>
    EarlierThanExisting,

    /// <summary>Kept as a completion record, but the learner's periods do not change (a period already completed, or not assigned).</summary>
    KeptAsHistory,

    /// <summary>The same learner, certification and completion instant is already recorded (or appears earlier in the file): nothing changes.</summary>
    AlreadyRecorded,

    UnknownLearner,
    UnknownCertification,

    /// <summary>A value is missing, cannot be read as a date, or is too long.</summary>
    Invalid,
    DateInFuture,
    ExpiryBeforeCompletion,
}

/// <summary>What one row does, or why it cannot be imported.</summary>
public sealed record ImportRowReport(
    int Line,
    string Learner,
    string Certification,
    int? LearnerId,
    int? CertificationId,
    DateTime? CompletedAt,
    DateTime? ExpiresAt,
    ImportVerdict Verdict,
    string Reason)
{
    public bool IsBad => Verdict >= ImportVerdict.UnknownLearner;
}

/// <summary>
/// The report of an import, the same for a dry run and for the import applied (a dry run applies it and rolls it back):
/// every row's verdict, and the totals. <paramref name="Applied"/> is false for a dry run and for a file with a bad row,
/// which applies nothing.
/// </summary>
public sealed record ImportReport(bool Applied, IReadOnlyList<ImportRowReport> Rows)
{
    public int NewPeriods => Count(ImportVerdict.NewPeriod);

    public int Earlier => Count(ImportVerdict.EarlierThanExisting);

    public int KeptAsHistory => Count(ImportVerdict.KeptAsHistory);

    public int AlreadyRecorded => Count(ImportVerdict.AlreadyRecorded);

    public int Bad => Rows.Count(r => r.IsBad);

    /// <summary>The rows that add a completion record.</summary>
    public int Recorded => NewPeriods + Earlier + KeptAsHistory;

    /// <summary>The first bad row, which the summary names.</summary>
    public ImportRowReport? FirstBad => Rows.FirstOrDefault(r => r.IsBad);

    private int Count(ImportVerdict verdict) => Rows.Count(r => r.Verdict == verdict);
}

/// <summary>The file could not be read as CSV at all (no header with the required columns, or too large).</summary>
public sealed class ImportFileException(string message) : Exception(message)
{
    public ImportFileException()
        : this("The file could not be read.")
    {
    }

    public ImportFileException(string message, Exception innerException)
        : this(message + " " + innerException?.Message)
    {
    }
}
