using System.Runtime.InteropServices;

namespace Certifications.Bench;

/// <summary>What the figures were measured on, printed with them.</summary>
internal static class Machine
{
    public static string Describe() =>
        $"{Environment.ProcessorCount} cores, {CpuModel()}, {RuntimeInformation.OSDescription} {RuntimeInformation.OSArchitecture}, " +
        $"{RuntimeInformation.FrameworkDescription}, {BuildConfiguration}";

    /// <summary>Linux's 1, 5 and 15-minute load averages: above the core count, other work competed with the measurement.</summary>
    public static string LoadAverage()
    {
        const string loadAverage = "/proc/loadavg";
        return File.Exists(loadAverage) ? string.Join(' ', File.ReadAllText(loadAverage).Split(' ').Take(3)) : "unknown";
    }

    private static string BuildConfiguration =>
#if DEBUG
        "Debug build (figures not meaningful: run with -c Release)";
#else
        "Release build";
#endif

    private static string CpuModel()
    {
        const string cpuInfo = "/proc/cpuinfo";
        if (!File.Exists(cpuInfo))
        {
            return "unknown CPU";
        }

        var model = File.ReadLines(cpuInfo).FirstOrDefault(line => line.StartsWith("model name", StringComparison.Ordinal));
        return model is null ? "unknown CPU" : model[(model.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
    }
}
