using System.Diagnostics;

namespace Certifications.Bench.Measuring;

/// <summary>One piece of work done two ways: through the product, and by hand on the database.</summary>
internal sealed record Operation(string Name, IReadOnlyList<string> Inputs, Func<string, Task> Ours, Func<string, Task> Raw);

internal sealed record OperationResult(string Name, Timings Ours, Timings Raw);

/// <summary>
/// Runs ours and raw alternately on the same inputs, so that whatever the machine does meanwhile (other processes,
/// the page cache, tiered JIT, GC) falls on both. Who goes first swaps on every pass over the inputs.
/// </summary>
internal static class InterleavedRun
{
    public static async Task<OperationResult> MeasureAsync(Operation operation, int warmUpCalls, int measuredCalls)
    {
        var ours = new Timings();
        var raw = new Timings();
        for (var call = 0; call < warmUpCalls + measuredCalls; call++)
        {
            var input = operation.Inputs[call % operation.Inputs.Count];
            var measured = call >= warmUpCalls;
            if (call / operation.Inputs.Count % 2 == 0)
            {
                await TimeAsync(operation.Ours, input, measured ? ours : null);
                await TimeAsync(operation.Raw, input, measured ? raw : null);
            }
            else
            {
                await TimeAsync(operation.Raw, input, measured ? raw : null);
                await TimeAsync(operation.Ours, input, measured ? ours : null);
            }
        }

        return new OperationResult(operation.Name, ours, raw);
    }

    private static async Task TimeAsync(Func<string, Task> work, string input, Timings? timings)
    {
        var started = Stopwatch.GetTimestamp();
        await work(input);
        timings?.Add(input, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }
}
