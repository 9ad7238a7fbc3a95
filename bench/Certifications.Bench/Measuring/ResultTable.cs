using System.Globalization;

namespace Certifications.Bench.Measuring;

/// <summary>The figures as a Markdown table, ready for BENCHMARKS.md.</summary>
internal static class ResultTable
{
    public static void Print(IEnumerable<OperationResult> results, TextWriter output)
    {
        output.WriteLine("| Operation | Warm-up calls | Calls | Ours p50 (ms) | Ours p95 (ms) | Raw p50 (ms) | Raw p95 (ms) | Ours/raw p50 | Ours/raw p95 |");
        output.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var result in results)
        {
            double ours50 = result.Ours.Percentile(50), ours95 = result.Ours.Percentile(95);
            double raw50 = result.Raw.Percentile(50), raw95 = result.Raw.Percentile(95);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {result.Name} | {result.WarmUpCalls} | {result.Ours.Count} | {ours50:F2} | {ours95:F2} | {raw50:F2} | {raw95:F2} | {ours50 / raw50:F2} | {ours95 / raw95:F2} |"));
        }
    }

    /// <summary>
    /// For work that takes seconds and is measured a few times: the fastest call beside p50 and p95. With fewer than 20
    /// calls, p95 by nearest rank is the slowest call.
    /// </summary>
    public static void PrintWithMinimum(IEnumerable<OperationResult> results, TextWriter output)
    {
        output.WriteLine("| Operation | Warm-up calls | Calls | Ours min (ms) | Ours p50 (ms) | Ours p95 (ms) | Raw min (ms) | Raw p50 (ms) | Raw p95 (ms) | Ours/raw min | Ours/raw p50 | Ours/raw p95 |");
        output.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var result in results)
        {
            double oursMin = result.Ours.Minimum, ours50 = result.Ours.Percentile(50), ours95 = result.Ours.Percentile(95);
            double rawMin = result.Raw.Minimum, raw50 = result.Raw.Percentile(50), raw95 = result.Raw.Percentile(95);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {result.Name} | {result.WarmUpCalls} | {result.Ours.Count} | {oursMin:F0} | {ours50:F0} | {ours95:F0} | {rawMin:F0} | {raw50:F0} | {raw95:F0} | {oursMin / rawMin:F2} | {ours50 / raw50:F2} | {ours95 / raw95:F2} |"));
        }
    }

    /// <summary>Medians per input: which texts make an operation slow, and whether ours and raw agree on it.</summary>
    public static void PrintByInput(OperationResult result, Func<string, int> matches, TextWriter output)
    {
        var raw = result.Raw.MedianByInput().ToDictionary(r => r.Input, r => r.Median);
        output.WriteLine($"| {result.Name}: text | Matches | Ours p50 (ms) | Raw p50 (ms) | Ours/raw |");
        output.WriteLine("|---|---:|---:|---:|---:|");
        foreach (var (input, median) in result.Ours.MedianByInput())
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| \"{input}\" | {matches(input):N0} | {median:F2} | {raw[input]:F2} | {median / raw[input]:F2} |"));
        }
    }
}
