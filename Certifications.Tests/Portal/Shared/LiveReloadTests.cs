using System.Collections.Concurrent;
using Certifications.Portal.Components.Shared;

namespace Certifications.Tests.Portal.Shared;

/// <summary>
/// A live page's reloads run off the event hub's thread, one at a time, with the requests that arrive meanwhile merged
/// into one pending reload.
/// </summary>
public sealed class LiveReloadTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    /// <summary>A reload that records what it was asked for and holds until released.</summary>
    private sealed class HeldReload : IDisposable
    {
        private readonly ConcurrentQueue<TaskCompletionSource> releases = [];
        private readonly SemaphoreSlim started = new(0);

        public ConcurrentQueue<IReadOnlySet<int>?> Calls { get; } = [];

        public ConcurrentQueue<Exception> Errors { get; } = [];

        public Exception? FailNext { get; set; }

        /// <summary>Holds without yielding the thread, as a reload whose query runs synchronously would.</summary>
        public bool Blocking { get; init; }

        public LiveReload Live { get; }

        public HeldReload() => Live = new LiveReload(RunAsync, ex =>
        {
            Errors.Enqueue(ex);
            return Task.CompletedTask;
        });

        private async Task RunAsync(IReadOnlySet<int>? learners)
        {
            Calls.Enqueue(learners is null ? null : new HashSet<int>(learners));
            var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            releases.Enqueue(release);
            started.Release();
            if (Blocking)
            {
#pragma warning disable xUnit1031 // Blocking on purpose: the reload must not hold the caller's thread.
                release.Task.Wait();
#pragma warning restore xUnit1031
            }

            await release.Task;
            if (FailNext is { } failure)
            {
                FailNext = null;
                throw failure;
            }
        }

        public async Task WaitUntilStartedAsync() => Assert.True(await started.WaitAsync(Patience), "The reload did not start.");

        public void Dispose()
        {
            // Nothing stays held once the test is over, whatever it found.
            while (releases.TryDequeue(out var release))
            {
                release.TrySetResult();
            }

            Live.Dispose();
            started.Dispose();
        }

        public void ReleaseOne()
        {
            Assert.True(releases.TryDequeue(out var release));
            release!.SetResult();
        }
    }

    [Fact]
    public async Task ARequestReturnsAtOnceAndTheReloadRunsInTheBackground()
    {
        using var held = new HeldReload { Blocking = true };

        var request = Task.Run(() => held.Live.Request([7]));

        await held.WaitUntilStartedAsync();
        await request.WaitAsync(Patience);
        Assert.False(held.Live.Idle.IsCompleted);
        held.ReleaseOne();
        await held.Live.Idle.WaitAsync(Patience);
        Assert.Equal([7], Assert.Single(held.Calls)!);
    }

    [Fact]
    public async Task RequestsArrivingDuringAReloadBecomeOnePendingReloadOfEveryLearnerTheyNamed()
    {
        using var held = new HeldReload();
        held.Live.Request([1]);
        await held.WaitUntilStartedAsync();

        held.Live.Request([2]);
        held.Live.Request([3, 4]);
        held.Live.Request([2]);
        held.ReleaseOne();
        await held.WaitUntilStartedAsync();
        held.ReleaseOne();
        await held.Live.Idle.WaitAsync(Patience);

        Assert.Equal(2, held.Calls.Count);
        Assert.Equal([2, 3, 4], held.Calls.Last()!.Order());
    }

    [Fact]
    public async Task AskingForEverythingMeanwhileMakesThePendingReloadAFullOne()
    {
        using var held = new HeldReload();
        held.Live.Request([1]);
        await held.WaitUntilStartedAsync();

        held.Live.Request([2]);
        held.Live.RequestAll();
        held.Live.Request([3]);
        held.ReleaseOne();
        await held.WaitUntilStartedAsync();
        held.ReleaseOne();
        await held.Live.Idle.WaitAsync(Patience);

        Assert.Equal(2, held.Calls.Count);
        Assert.Null(held.Calls.Last());
    }

    [Fact]
    public async Task AnEmptyListOfLearnersAsksForNothing()
    {
        using var held = new HeldReload();

        held.Live.Request([]);

        await held.Live.Idle.WaitAsync(Patience);
        Assert.Empty(held.Calls);
    }

    [Fact]
    public async Task AFailedReloadIsReportedAndTheNextRequestStillRuns()
    {
        using var held = new HeldReload { FailNext = new InvalidOperationException("database gone") };
        held.Live.Request([1]);
        await held.WaitUntilStartedAsync();
        held.ReleaseOne();
        await held.Live.Idle.WaitAsync(Patience);

        held.Live.Request([2]);
        await held.WaitUntilStartedAsync();
        held.ReleaseOne();
        await held.Live.Idle.WaitAsync(Patience);

        Assert.Equal("database gone", Assert.Single(held.Errors).Message);
        Assert.Equal(2, held.Calls.Count);
    }

    [Fact]
    public async Task OnceDisposedWhatIsPendingIsDroppedAndNothingNewStarts()
    {
        using var held = new HeldReload();
        held.Live.Request([1]);
        await held.WaitUntilStartedAsync();
        held.Live.Request([2]);

        held.Live.Dispose();
        held.Live.Request([3]);
        held.ReleaseOne();
        await held.Live.Idle.WaitAsync(Patience);

        Assert.Equal([1], Assert.Single(held.Calls)!);
    }
}
