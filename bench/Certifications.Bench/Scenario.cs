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
}
