namespace Certifications.Bench.Measuring;

/// <summary>How long each call of one contender took, in milliseconds, with the input it was given.</summary>
internal sealed class Timings
{
    private readonly List<(string Input, double Milliseconds)> samples = [];

    public int Count => samples.Count;

    public void Add(string input, double milliseconds) => samples.Add((input, milliseconds));

    public double Minimum => samples.Min(s => s.Milliseconds);

    public double Total => samples.Sum(s => s.Milliseconds);

    public double Percentile(double percent) => Percentile(samples.Select(s => s.Milliseconds), percent);

    public IEnumerable<(string Input, double Median)> MedianByInput() =>
        samples.GroupBy(s => s.Input).Select(g => (g.Key, Percentile(g.Select(s => s.Milliseconds), 50)));

    /// <summary>Nearest rank: the smallest sample that at least <paramref name="percent"/>% of samples do not exceed.</summary>
    private static double Percentile(IEnumerable<double> values, double percent)
    {
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0)
        {
            throw new InvalidOperationException("No samples.");
        }

        var rank = (int)Math.Ceiling(percent / 100 * sorted.Length);
        return sorted[Math.Clamp(rank, 1, sorted.Length) - 1];
    }
}
