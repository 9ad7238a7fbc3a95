using System.Globalization;

namespace Certifications.Bench;

/// <summary>A benchmark chosen by name on the command line; the rest of the line is its options.</summary>
internal sealed record Scenario(string Name, string Description, string Options, Func<string[], Task<int>> RunAsync)
{
    public static void PrintUsage(IEnumerable<Scenario> scenarios, TextWriter output)
    {
        output.WriteLine("Usage: dotnet run -c Release --project bench/Certifications.Bench -- <scenario> [options]");
        output.WriteLine();
        output.WriteLine("Scenarios:");
        foreach (var scenario in scenarios)
        {
            output.WriteLine($"  {scenario.Name,-10} {scenario.Description}");
            output.WriteLine($"  {"",-10} options: {scenario.Options}");
        }
    }

    /// <summary>The positive whole number after <paramref name="name"/> on the command line, or <paramref name="fallback"/>.</summary>
    public static int Option(string[] args, string name, int fallback)
    {
        ArgumentNullException.ThrowIfNull(args);
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length && int.TryParse(args[index + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0
            ? value
            : fallback;
    }
}
