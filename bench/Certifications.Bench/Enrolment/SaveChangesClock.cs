using System.Diagnostics;
using System.Globalization;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Certifications.Bench.Enrolment;

/// <summary>How many times SaveChanges ran and how long it took in all, its commands included.</summary>
internal sealed class SaveChangesClock : SaveChangesInterceptor
{
    private long started;
    private int saves;
    private int entities;
    private TimeSpan total;

    public bool Enabled { get; set; }

    public void Reset() => (saves, entities, total) = (0, 0, TimeSpan.Zero);

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(
        DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        started = Stopwatch.GetTimestamp();
        return base.SavingChangesAsync(eventData, result, cancellationToken);
    }

    public override ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        if (Enabled)
        {
            saves++;
            entities += result;
            total += Stopwatch.GetElapsedTime(started);
        }

        return base.SavedChangesAsync(eventData, result, cancellationToken);
    }

    public void Print(TextWriter output)
    {
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"SaveChanges: {saves:N0} calls writing {entities:N0} rows, {total.TotalMilliseconds:F0} ms in all (its commands included)."));
        output.WriteLine();
    }
}
