using System.Text;
using CsvHelper;

namespace Certifications.Core.History;

/// <summary>
/// Reads historic completions from CSV: a header row naming the columns learner, certification, completed_at, and
/// optionally expires_at and evidence (in any order, any case, with or without underscores, hyphens or spaces), then one
/// completion per line. The separator is detected (comma, semicolon, tab).
/// </summary>
public static class CompletionCsv
{
    /// <summary>The largest file read: about 200,000 rows of usual length.</summary>
    public const int MaxBytes = 20 * 1024 * 1024;

    public const int MaxRows = 200_000;

    private static readonly CsvReaderOptions Options = new()
    {
        TrimWhitespace = true,
        TrackLineNumbers = true,
        NormalizeHeaderName = Normalize,
    };

    public static async Task<IReadOnlyList<ImportRow>> ReadAsync(Stream stream, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        await using var reader = CsvReader.Create(stream, Options, leaveOpen: true);
        await reader.ReadHeaderAsync(ct);
        var learner = Column(reader, "learner", required: true);
        var certification = Column(reader, "certification", required: true);
        var completedAt = Column(reader, "completed_at", required: true);
        var expiresAt = Column(reader, "expires_at", required: false);
        var evidence = Column(reader, "evidence", required: false);

        var rows = new List<ImportRow>();
        while (await reader.ReadAsync(ct))
        {
            if (rows.Count == MaxRows)
            {
                throw new ImportFileException($"The file has more than {MaxRows:N0} rows; split it.");
            }

            string? Field(int index) => index < 0 || reader.IsEmpty(index) ? null : reader.GetString(index);

            // The line in the file, as an editor or a spreadsheet numbers it: the header is line 1.
            rows.Add(new ImportRow(checked((int)reader.LineNumber), Field(learner), Field(certification), Field(completedAt), Field(expiresAt), Field(evidence)));
        }

        return rows;
    }

    public static Task<IReadOnlyList<ImportRow>> ReadAsync(string text, CancellationToken ct = default) =>
        ReadAsync(new MemoryStream(Encoding.UTF8.GetBytes(text ?? "")), ct);

    private static int Column(CsvReader reader, string name, bool required)
    {
        if (reader.TryGetFieldIndex(name, out var index))
        {
            return index;
        }

        return required
            ? throw new ImportFileException($"The first line must name the columns learner, certification and completed_at (optional: expires_at, evidence); \"{name}\" is missing.")
            : -1;
    }

    private static string Normalize(string name) =>
        new([.. name.Where(c => c is not ('_' or '-' or ' ')).Select(char.ToLowerInvariant)]);
}
