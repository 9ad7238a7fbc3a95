using System.Collections.Immutable;

namespace Certifications.Core.Events;

/// <summary>Something changed; events carry ids and subscribers re-query what they show.</summary>
public abstract record PortalEvent;

public sealed record CertificationChanged(int CertificationId) : PortalEvent;

public sealed record AssignmentsChanged(int CertificationId, IReadOnlyList<int> LearnerIds) : PortalEvent;

/// <summary>New step results were recorded for these learners: grades on open pages may have moved even where no status did.</summary>
public sealed record ResultsRecorded(IReadOnlyList<int> LearnerIds) : PortalEvent;

/// <summary>
/// The in-process hub every live page listens to. Publishing happens after a successful commit; a failing
/// subscriber never stops the others or the publisher.
/// </summary>
public sealed class EventHub
{
    private ImmutableList<Func<PortalEvent, Task>> subscribers = [];

    /// <summary>How many listeners are attached: a page that left and still listens is a leak.</summary>
    internal int SubscriberCount => subscribers.Count;

    public IDisposable Subscribe(Func<PortalEvent, Task> handler)
    {
        ImmutableInterlocked.Update(ref subscribers, list => list.Add(handler));
        return new Subscription(() => ImmutableInterlocked.Update(ref subscribers, list => list.Remove(handler)));
    }

    public async Task PublishAsync(PortalEvent portalEvent)
    {
        foreach (var handler in subscribers)
        {
            try
            {
                await handler(portalEvent);
            }
#pragma warning disable CA1031 // One broken page must not stop the event reaching the others.
            catch (Exception)
#pragma warning restore CA1031
            {
            }
        }
    }

    private sealed class Subscription(Action unsubscribe) : IDisposable
    {
        private int disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref disposed, 1) == 0)
            {
                unsubscribe();
            }
        }
    }
}
