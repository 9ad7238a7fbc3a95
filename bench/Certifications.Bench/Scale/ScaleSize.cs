using System.Globalization;

namespace Certifications.Bench.Scale;

/// <summary>
/// How large an organisation to generate. By default a large one: 100,000 learners holding 500,000 assignments to 200
/// certifications built from a catalogue of 2,000 courses, with 10,000,000 step results over eighteen months. Smaller
/// sizes keep the same shape: given only the learners, assignments and results follow them (5 and 100 per learner).
/// </summary>
internal sealed record ScaleSize(int Learners, int Courses, int Certifications, int Assignments, int Results)
{
    public static ScaleSize Default { get; } = new(100_000, 2_000, 200, 500_000, 10_000_000);

    public const string Options =
        "--learners N (default 100,000), --courses N (2,000), --certifications N (200), --assignments N (5 per learner), --results N (100 per learner)";

    /// <summary>About a hundred members a group, as teams and sites are.</summary>
    public int Groups => Math.Max(5, Learners / 100);

    /// <summary>Part of the file name the generated database is cached under.</summary>
    public string Key => string.Create(CultureInfo.InvariantCulture, $"l{Learners}-c{Courses}-k{Certifications}-a{Assignments}-r{Results}");

    public static ScaleSize FromArguments(string[] args)
    {
        var learners = Option(args, "--learners") ?? Default.Learners;
        var size = new ScaleSize(
            learners,
            Option(args, "--courses") ?? Default.Courses,
            Option(args, "--certifications") ?? Default.Certifications,
            Option(args, "--assignments") ?? (int)Math.Min(int.MaxValue, 5L * learners),
            Option(args, "--results") ?? (int)Math.Min(int.MaxValue, 100L * learners));
        if (size.Learners < 100 || size.Courses < 20 || size.Certifications < 1 || size.Assignments < size.Certifications)
        {
            throw new ArgumentException("At least 100 learners, 20 courses, one certification and one assignment per certification.");
        }

        if (size.Assignments > (long)size.Learners * size.Certifications * 9 / 10)
        {
            throw new ArgumentException("At most nine in ten learners can hold each certification: fewer assignments, or more learners or certifications.");
        }

        return size;
    }

    public string Describe() =>
        $"{Learners:N0} learners, {Groups:N0} groups, {Courses:N0} courses, {Certifications:N0} certifications, {Assignments:N0} assignments, {Results:N0} step results";

    private static int? Option(string[] args, string name)
    {
        var index = Array.IndexOf(args, name);
        if (index < 0)
        {
            return null;
        }

        return index + 1 < args.Length && int.TryParse(args[index + 1], NumberStyles.AllowThousands, CultureInfo.InvariantCulture, out var value) && value > 0
            ? value
            : throw new ArgumentException($"{name} takes a positive whole number.");
    }
}
