using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Certifications.Tests.Infrastructure;

/// <summary>Holds up one transaction's commit until the test lets it go: a long operation stops between two batches.</summary>
public sealed class CommitGate : DbTransactionInterceptor
{
    private readonly TaskCompletionSource released = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int commits;

    /// <summary>Which commit, counted from when it is set (the first is 1), waits; 0 holds none.</summary>
    public int Hold { get; set; }

    public void Release() => released.TrySetResult();

    public override async ValueTask<InterceptionResult> TransactionCommittingAsync(
        DbTransaction transaction, TransactionEventData eventData, InterceptionResult result, CancellationToken cancellationToken = default)
    {
        if (Hold > 0 && Interlocked.Increment(ref commits) == Hold)
        {
            await released.Task.WaitAsync(cancellationToken);
        }

        return result;
    }
}
