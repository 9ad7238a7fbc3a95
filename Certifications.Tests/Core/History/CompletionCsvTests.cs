using Certifications.Core.History;

namespace Certifications.Tests.Core.History;

public sealed class CompletionCsvTests
{
    [Fact]
    public async Task ColumnsAreFoundByNameInAnyOrderCaseOrSpellingAndLinesAreNumberedAsInTheFile()
    {
        var rows = await CompletionCsv.ReadAsync(
            "Evidence;Completed-At;Certification;Learner\n\"Paper; signed\";2025-11-15;Workplace Safety;bob@example.com\n\n;2024-01-02;Forklift;7\n");

        Assert.Equal(
            [
                new ImportRow(2, "bob@example.com", "Workplace Safety", "2025-11-15", null, "Paper; signed"),
                new ImportRow(4, "7", "Forklift", "2024-01-02", null, null),
            ],
            rows);
    }

    [Fact]
    public async Task AFileWithoutTheRequiredColumnsIsRefusedWhole()
    {
        var refused = await Assert.ThrowsAsync<ImportFileException>(() => CompletionCsv.ReadAsync("learner,certification\nbob@example.com,Forklift\n"));

        Assert.Contains("\"completed_at\" is missing", refused.Message, StringComparison.Ordinal);
    }
}
