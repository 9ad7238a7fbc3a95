using System.Collections.Immutable;
using System.Text.Json.Serialization;

namespace Certifications.Core.Events;

/// <summary>
/// Something changed; events carry ids and subscribers re-query what they show. Each kind is named here so that it
/// can travel between instances (<see cref="PostgresEventRelay"/>).
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "kind")]
[JsonDerivedType(typeof(CertificationChanged), nameof(CertificationChanged))]
[JsonDerivedType(typeof(AssignmentsChanged), nameof(AssignmentsChanged))]
[JsonDerivedType(typeof(ResultsRecorded), nameof(ResultsRecorded))]
[JsonDerivedType(typeof(Renewals.SweepRunFinished), nameof(Renewals.SweepRunFinished))]
[JsonDerivedType(typeof(Notifications.NotificationsRecorded), nameof(Notifications.NotificationsRecorded))]
[JsonDerivedType(typeof(Notifications.NotificationsRead), nameof(Notifications.NotificationsRead))]
public abstract record PortalEvent;

public sealed record CertificationChanged(int CertificationId) : PortalEvent;

public sealed record AssignmentsChanged(int CertificationId, IReadOnlyList<int> LearnerIds) : PortalEvent;

/// <summary>New step results were recorded for these learners: grades on open pages may have moved even where no status did.</summary>
public sealed record ResultsRecorded(IReadOnlyList<int> LearnerIds) : PortalEvent;

/// <summary>Carries events to the portal's other instances, and theirs to this one.</summary>
internal interface IEventRelay
{
    /// <summary>Sends an event published here to the other instances; never throws (they catch up by their own reloads).</summary>
    Task SendAsync(PortalEvent portalEvent);
}

/// <summary>
/// The hub every live page listens to. Publishing happens after a successful commit; a failing subscriber never stops
/// the others or the publisher. With a relay attached (several instances on one PostgreSQL), what is published here
/// also reaches the pages of the other instances, and theirs reach this one's.
/// </summary>
public sealed class EventHub
{
    private ImmutableList<Func<PortalEvent, Task>> subscribers = [];
    private IEventRelay? relay;

    /// <summary>How many listeners are attached: a page that left and still listens is a leak.</summary>
    internal int SubscriberCount => subscribers.Count;

    public IDisposable Subscribe(Func<PortalEvent, Task> handler)
    {
        ImmutableInterlocked.Update(ref subscribers, list => list.Add(handler));
        return new Subscription(() => ImmutableInterlocked.Update(ref subscribers, list => list.Remove(handler)));
    }

    /// <summary>Delivers to this instance's subscribers, then to the other instances' through the relay, if any.</summary>
    public async Task PublishAsync(PortalEvent portalEvent)
    {
        await DeliverAsync(portalEvent);
        if (relay is { } attached)
        {
            await attached.SendAsync(portalEvent);
        }
    }

    /// <summary>From now on, what is published here goes to the other instances too.</summary>
    internal void Attach(IEventRelay eventRelay)
    {
        if (Interlocked.CompareExchange(ref relay, eventRelay, null) is not null)
        {
            throw new InvalidOperationException("A relay is already attached.");
        }
    }

    /// <summary>Delivers to this instance's subscribers only: an event that came from another instance.</summary>
    internal async Task DeliverAsync(PortalEvent portalEvent)
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
