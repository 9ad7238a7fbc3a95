namespace Certifications.Portal.Components.Shared;

/// <summary>
/// Takes a live page's reloads off the event hub, which awaits each subscriber in turn before the next hears the news: a
/// request returns at once and the reload runs in the background. One reload runs at a time; requests that arrive
/// meanwhile wait as one pending reload covering every learner they named, or everything when any of them asked for
/// everything. A burst of events thus costs the page at most two reloads.
/// </summary>
/// <param name="reload">Re-reads what the page shows: the given learners' part of it, or everything when given null.</param>
/// <param name="onError">Where a failed reload goes: the page's <c>DispatchExceptionAsync</c>.</param>
internal sealed class LiveReload(Func<IReadOnlySet<int>?, Task> reload, Func<Exception, Task> onError) : IDisposable
{
    private readonly Lock gate = new();
    private HashSet<int>? pendingLearners;
    private bool pendingAll;
    private bool running;
    private bool disposed;
    private Task current = Task.CompletedTask;

    /// <summary>Completes once no reload is running or pending.</summary>
    public Task Idle
    {
        get
        {
            lock (gate)
            {
                return current;
            }
        }
    }

    public void RequestAll() => Enqueue(null);

    /// <summary>Reloads the learners' part of the page; nothing happens for an empty list.</summary>
    public void Request(IEnumerable<int> learnerIds)
    {
        ArgumentNullException.ThrowIfNull(learnerIds);
        Enqueue(learnerIds);
    }

    private void Enqueue(IEnumerable<int>? learnerIds)
    {
        lock (gate)
        {
            if (disposed)
            {
                return;
            }

            if (learnerIds is null)
            {
                (pendingAll, pendingLearners) = (true, null);
            }
            else if (!pendingAll)
            {
                (pendingLearners ??= []).UnionWith(learnerIds);
                if (pendingLearners.Count == 0)
                {
                    pendingLearners = null;
                    return;
                }
            }

            if (!running)
            {
                running = true;

                // On the thread pool: a publisher on this page's own circuit must not run the reload inline either.
                current = Task.Run(RunAsync);
            }
        }
    }

    private async Task RunAsync()
    {
        var finished = false;
        try
        {
            while (true)
            {
                IReadOnlySet<int>? learners;
                lock (gate)
                {
                    if (disposed || (!pendingAll && pendingLearners is null))
                    {
                        (running, finished) = (false, true);
                        return;
                    }

                    learners = pendingAll ? null : pendingLearners;
                    (pendingAll, pendingLearners) = (false, null);
                }

                try
                {
                    await reload(learners);
                }
#pragma warning disable CA1031 // Whatever failed goes to the page; a page already gone has nobody left to tell.
                catch (Exception ex)
#pragma warning restore CA1031
                {
                    if (!IsDisposed)
                    {
                        await onError(ex);
                    }
                }
            }
        }
        finally
        {
            // Only when reporting an error failed too: the next request starts over.
            if (!finished)
            {
                lock (gate)
                {
                    running = false;
                }
            }
        }
    }

    private bool IsDisposed
    {
        get
        {
            lock (gate)
            {
                return disposed;
            }
        }
    }

    /// <summary>Drops what is pending; a reload already running finishes, and its errors are no longer reported.</summary>
    public void Dispose()
    {
        lock (gate)
        {
            (disposed, pendingAll, pendingLearners) = (true, false, null);
        }
    }
}
