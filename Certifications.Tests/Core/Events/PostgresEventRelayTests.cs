using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json.Serialization;
using Certifications.Core.Events;
using Certifications.Core.Notifications;
using Certifications.Core.Renewals;
using Certifications.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;

namespace Certifications.Tests.Core.Events;

/// <summary>Live updates between instances: events published on one instance reach the pages of another through PostgreSQL.</summary>
public sealed class PostgresEventRelayTests
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(1);

    [Fact]
    public void EveryKindOfEventCanTravelBetweenInstances()
    {
        var kinds = typeof(PortalEvent).Assembly.GetTypes().Where(t => t.IsSubclassOf(typeof(PortalEvent)) && !t.IsAbstract).ToHashSet();
        var named = typeof(PortalEvent).GetCustomAttributes<JsonDerivedTypeAttribute>().Select(a => a.DerivedType).ToHashSet();

        Assert.NotEmpty(kinds);
        Assert.Equal(kinds.OrderBy(t => t.Name).Select(t => t.Name), named.OrderBy(t => t.Name).Select(t => t.Name));
    }

    [Fact]
    public void AnEventNamingManyLearnersGoesAsSeveralThatEachFitInANotify()
    {
        var ids = Enumerable.Range(int.MaxValue - 1_300, 1_300).ToList();

        var parts = PostgresEventRelay.Split(new AssignmentsChanged(7, ids)).Cast<AssignmentsChanged>().ToList();

        Assert.Equal([600, 600, 100], parts.Select(p => p.LearnerIds.Count));
        Assert.All(parts, p => Assert.Equal(7, p.CertificationId));
        Assert.Equal(ids, parts.SelectMany(p => p.LearnerIds));
        var largest = System.Text.Json.JsonSerializer.Serialize<PortalEvent>(parts[0]).Length;
        Assert.InRange(largest, 1, 7_900);
    }

    [Fact]
    public async Task AServerThatCannotBeReachedNeverFailsThePublisher()
    {
        var hub = new EventHub();
        await using var relay = new PostgresEventRelay("Host=127.0.0.1;Port=1;Username=nobody;Timeout=2", hub, NullLogger.Instance);
        hub.Attach(relay);
        var heard = new List<PortalEvent>();
        using var subscription = hub.Subscribe(e => { heard.Add(e); return Task.CompletedTask; });

        await hub.PublishAsync(new CertificationChanged(3));

        Assert.Equal([new CertificationChanged(3)], heard);
    }

    [PostgresFact]
    public async Task AnEventPublishedOnOneInstanceReachesTheOtherWithinASecondAndNotItsOwnTwice()
    {
        await using var database = TestProvider.NewPostgreSqlDatabase();
        await using var a = await Instance.StartAsync(database.ConnectionString);
        await using var b = await Instance.StartAsync(database.ConnectionString);

        await a.Hub.PublishAsync(new AssignmentsChanged(5, [1, 2]));
        await b.WaitForAsync(1);
        await b.Hub.PublishAsync(new SweepRunFinished(9));
        await a.WaitForAsync(2);
        await Task.Delay(200);

        PortalEvent[] both = [new AssignmentsChanged(5, [1, 2]), new SweepRunFinished(9)];
        Assert.Equal(Simplified(both), Simplified(a.Heard));
        Assert.Equal(Simplified(both), Simplified(b.Heard));
    }

    [PostgresFact]
    public async Task ManyLearnersArriveWholeInPartsAndEveryKindArrivesAsSent()
    {
        await using var database = TestProvider.NewPostgreSqlDatabase();
        await using var a = await Instance.StartAsync(database.ConnectionString);
        await using var b = await Instance.StartAsync(database.ConnectionString);
        var many = Enumerable.Range(1, 2_000).ToList();
        PortalEvent[] sent =
        [
            new CertificationChanged(4),
            new ResultsRecorded([8, 9]),
            new NotificationsRecorded([3]),
            new NotificationsRead(3),
            new AssignmentsChanged(6, many),
        ];

        foreach (var e in sent)
        {
            await a.Hub.PublishAsync(e);
        }

        await b.WaitForAsync(4 + 4);
        var heard = b.Heard.ToList();
        Assert.Equal(Simplified(sent[..4]), Simplified(heard.Take(4)));
        var parts = heard.Skip(4).Cast<AssignmentsChanged>().ToList();
        Assert.All(parts, p => Assert.Equal(6, p.CertificationId));
        Assert.Equal(many, parts.SelectMany(p => p.LearnerIds));
    }

    /// <summary>Records compare lists by reference: each event as text.</summary>
    private static List<string> Simplified(IEnumerable<PortalEvent> events) =>
        [.. events.Select(e => System.Text.Json.JsonSerializer.Serialize<PortalEvent>(e))];

    private sealed class Instance : IAsyncDisposable
    {
        private readonly PostgresEventRelay relay;
        private readonly CancellationTokenSource stop = new();
        private readonly ConcurrentQueue<PortalEvent> heard = new();
        private readonly IDisposable subscription;
        private Task listening = Task.CompletedTask;

        private Instance(string connectionString)
        {
            relay = new PostgresEventRelay(connectionString, Hub, NullLogger.Instance);
            Hub.Attach(relay);
            subscription = Hub.Subscribe(e => { heard.Enqueue(e); return Task.CompletedTask; });
        }

        public EventHub Hub { get; } = new();

        public IReadOnlyList<PortalEvent> Heard => [.. heard];

        public static async Task<Instance> StartAsync(string connectionString)
        {
            var instance = new Instance(connectionString);
            instance.listening = instance.relay.ListenAsync(instance.stop.Token);
            await instance.relay.Listening.WaitAsync(TimeSpan.FromSeconds(10));
            return instance;
        }

        public async Task WaitForAsync(int count)
        {
            var until = DateTime.UtcNow + Within;
            while (heard.Count < count)
            {
                Assert.True(DateTime.UtcNow < until, $"Heard {heard.Count} events within {Within.TotalSeconds} s, expected {count}.");
                await Task.Delay(10);
            }
        }

        public async ValueTask DisposeAsync()
        {
            subscription.Dispose();
            await stop.CancelAsync();
            await listening;
            await relay.DisposeAsync();
            stop.Dispose();
        }
    }
}
