using System.Diagnostics;

namespace Certifications.Bench.Measuring;

/// <summary>
/// One piece of work done two ways: through the product, and by hand on the database. <paramref name="Prepare"/>, when
/// given, runs before every call and is not timed: work that changes the data puts it back to where it started.
/// </summary>
internal sealed record Operation(string Name, IReadOnlyList<string> Inputs, Func<string, Task> Ours, Func<string, Task> Raw, Func<string, Task>? Prepare = null);

internal sealed record OperationResult(string Name, Timings Ours, Timings Raw, int WarmUpCalls);

/// <summary>
/// Runs ours and raw alternately on the same inputs, so that whatever the machine does meanwhile (other processes,
/// the page cache, GC) falls on both. Who goes first swaps on every pass over the inputs.
/// </summary>
internal static class InterleavedRun
{
    /// <summary>
    /// Warm-up lasts a time, not a number of calls: tiered compilation promotes methods in the background, later on
    /// a busy machine. Under load, 100 warm-up calls left EF Core's group search at 2.3-3.8x raw; 1,000 at 1.5x.
    /// </summary>
    public static async Task<OperationResult> MeasureAsync(Operation operation, TimeSpan warmUp, int measuredCalls)
    {
        var warmUpCalls = 0;
        var warmingUp = Stopwatch.StartNew();
        while (warmingUp.Elapsed < warmUp || warmUpCalls % operation.Inputs.Count != 0)
        {
            await RunPairAsync(operation, warmUpCalls++, null, null);
        }

        var ours = new Timings();
        var raw = new Timings();
        for (var call = 0; call < measuredCalls; call++)
        {
            await RunPairAsync(operation, call, ours, raw);
        }

        return new OperationResult(operation.Name, ours, raw, warmUpCalls);
    }

    private static async Task RunPairAsync(Operation operation, int call, Timings? ours, Timings? raw)
    {
        var input = operation.Inputs[call % operation.Inputs.Count];
        if (call / operation.Inputs.Count % 2 == 0)
        {
            await TimeAsync(operation.Prepare, operation.Ours, input, ours);
            await TimeAsync(operation.Prepare, operation.Raw, input, raw);
        }
        else
        {
            await TimeAsync(operation.Prepare, operation.Raw, input, raw);
            await TimeAsync(operation.Prepare, operation.Ours, input, ours);
        }
    }

    private static async Task TimeAsync(Func<string, Task>? prepare, Func<string, Task> work, string input, Timings? timings)
    {
        if (prepare is not null)
        {
            await prepare(input);
        }

        var started = Stopwatch.GetTimestamp();
        await work(input);
        timings?.Add(input, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }
}
