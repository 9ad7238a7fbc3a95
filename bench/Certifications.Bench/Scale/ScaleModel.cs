using Certifications.Bench.Catalog;

namespace Certifications.Bench.Scale;

/// <summary>A course of the generated catalogue: its steps in order, and which of them are graded.</summary>
internal sealed record ScaleCourse(int Id, string Title, bool IsPublished, bool IsTrigger, int[] Steps, bool[] Graded)
{
    public bool IsOffered => IsPublished && !IsTrigger && Graded.Contains(true);
}

/// <summary>A published certification as generated: its terms, the groups it targets, and how it renews.</summary>
internal sealed record ScaleCertification(
    int Id,
    string Name,
    int[] Courses,
    DateOnly EffectiveFrom,
    DateOnly? DueDate,
    int GraceDays,
    int? RenewalMonths,
    int RenewalWindowDays,
    string RenewalAnchor,
    decimal MinimumPassingGrade,
    bool IsInvisible,
    DateTime PublishedAt)
{
    public List<int> TargetGroups { get; } = [];

    /// <summary>A certification without targeted groups is open to anyone: learners start it themselves.</summary>
    public bool IsOpen => TargetGroups.Count == 0;
}

/// <summary>How an assignment is held: by the groups it was reached through, individually, or self-started.</summary>
internal enum ScaleSourceKind : byte
{
    Group,
    Individual,
    SelfStarted,
}

/// <summary>An assignment as generated, before its progress is computed; <see cref="Groups"/> only for group sources.</summary>
internal sealed record ScaleAssignment(int Id, int CertificationId, int LearnerId, DateTime AssignedAt, ScaleSourceKind Source, int[] Groups, DateTime? WithdrawnAt);

/// <summary>A group member and when they joined.</summary>
internal readonly record struct ScaleMembership(int GroupId, int LearnerId, DateTime JoinedAt);

/// <summary>One attempt at a step, as it will be stored.</summary>
internal readonly record struct ScaleResult(int LearnerId, int StepId, double Score, long CompletedTicks);

/// <summary>Picks a number below a count with Zipf-like weights: a few very often, a long tail rarely.</summary>
internal sealed class SkewedPick
{
    private readonly double[] cumulative;

    public SkewedPick(int count, double exponent)
    {
        cumulative = new double[count];
        var total = 0d;
        for (var rank = 0; rank < count; rank++)
        {
            total += 1 / Math.Pow(rank + 1, exponent);
            cumulative[rank] = total;
        }
    }

    public int Next(Random random)
    {
        var index = Array.BinarySearch(cumulative, random.NextDouble() * cumulative[^1]);
        return Math.Min(index < 0 ? ~index : index, cumulative.Length - 1);
    }
}

/// <summary>Draws from the distributions the generated behaviour is made of.</summary>
internal static class Draw
{
    public static double Normal(Random random, double mean, double deviation)
    {
        // Box-Muller: enough for scores and skills.
        var u = 1 - random.NextDouble();
        var v = random.NextDouble();
        return mean + deviation * Math.Sqrt(-2 * Math.Log(u)) * Math.Cos(2 * Math.PI * v);
    }

    public static double Exponential(Random random, double mean) => -mean * Math.Log(1 - random.NextDouble());

    /// <summary>A score as a learning system sends it: 0 to 100, one decimal.</summary>
    public static double Score(Random random, double mean, double deviation) => Math.Round(Math.Clamp(Normal(random, mean, deviation), 0, 100), 1);

    public static T Weighted<T>(Random random, params ReadOnlySpan<(T Value, double Weight)> choices)
    {
        var total = 0d;
        foreach (var choice in choices)
        {
            total += choice.Weight;
        }

        var point = random.NextDouble() * total;
        foreach (var choice in choices)
        {
            point -= choice.Weight;
            if (point < 0)
            {
                return choice.Value;
            }
        }

        return choices[^1].Value;
    }

    /// <summary>Whole seconds: what learning systems send.</summary>
    public static DateTime Seconds(DateTime instant) => new(instant.Ticks - instant.Ticks % TimeSpan.TicksPerSecond, DateTimeKind.Utc);

    public static DateTime Between(Random random, DateTime from, DateTime to) =>
        Seconds(from.AddTicks((long)(random.NextDouble() * Math.Max(0, (to - from).Ticks))));

    public static string Guid(Random random) => CatalogGenerator.NextGuid(random);
}
