namespace Certifications.Bench.Catalog;

/// <summary>
/// Picks from a list with Zipf-like weights (the first entry is the most frequent), as words are in a real catalogue:
/// a few subjects everywhere, a long tail of rare ones.
/// </summary>
internal sealed class WeightedChoice
{
    private readonly IReadOnlyList<string> choices;
    private readonly double[] cumulative;

    public WeightedChoice(IReadOnlyList<string> choices, double exponent)
    {
        this.choices = choices;
        cumulative = new double[choices.Count];
        var total = 0d;
        for (var rank = 0; rank < choices.Count; rank++)
        {
            total += 1 / Math.Pow(rank + 1, exponent);
            cumulative[rank] = total;
        }
    }

    public string Pick(Random random)
    {
        var index = Array.BinarySearch(cumulative, random.NextDouble() * cumulative[^1]);
        return choices[Math.Min(index < 0 ? ~index : index, choices.Count - 1)];
    }
}
