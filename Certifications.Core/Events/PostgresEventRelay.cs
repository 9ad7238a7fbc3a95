using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Certifications.Core.Persistence;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Certifications.Core.Events;

/// <summary>
/// Live updates between instances on one PostgreSQL database: every event published on an instance is sent with
/// NOTIFY on one channel, and each instance LISTENs on it and hands the others' events to its own pages, so a result
/// posted to one instance shows on a manager's page served by another.
/// <list type="bullet">
/// <item>Each message names the instance that sent it, which skips its own (its pages already had the event).</item>
/// <item>A NOTIFY carries at most 8,000 bytes: an event naming many learners goes as several events of at most
/// <see cref="IdsPerMessage"/> learners each, which the pages take like any other (they re-query what they show).</item>
/// <item>The listening connection is re-opened after a failure, waiting a little longer each time (up to
/// 30 seconds); what was sent meanwhile is missed, as a page that reloads shows anyway.</item>
/// <item>Sending never fails the publisher, whose change is already committed: a failure is logged.</item>
/// </list>
/// </summary>
internal sealed class PostgresEventRelay : IEventRelay, IAsyncDisposable
{
    public const string ChannelName = "certifications_events";

    /// <summary>Ids in one message: eleven bytes each at most, well inside NOTIFY's 8,000 bytes with the envelope.</summary>
    public const int IdsPerMessage = 600;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly NpgsqlDataSource dataSource;
    private readonly EventHub hub;
    private readonly ILogger logger;
    private readonly TaskCompletionSource listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public PostgresEventRelay(string connectionString, EventHub hub, ILogger logger)
    {
        // Keep-alives tell a listening connection that died quietly (a restarted server, a dropped network) from a quiet one.
        var builder = new NpgsqlConnectionStringBuilder(connectionString) { KeepAlive = 30 };
        dataSource = NpgsqlDataSource.Create(builder.ConnectionString);
        this.hub = hub;
        this.logger = logger;
    }

    /// <summary>This instance, as its messages name it.</summary>
    public Guid InstanceId { get; } = Guid.NewGuid();

    /// <summary>Completes when this instance first listens: from then on it hears the others.</summary>
    public Task Listening => listening.Task;

    public async Task SendAsync(PortalEvent portalEvent)
    {
        try
        {
            foreach (var part in Split(portalEvent))
            {
                var payload = JsonSerializer.Serialize(new Message(InstanceId, part), Json);
                await using var command = dataSource.CreateCommand("SELECT pg_notify($1, $2)");
                command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = ChannelName });
                command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = payload });
                await command.ExecuteNonQueryAsync();
            }
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException or InvalidOperationException)
        {
            CoreLog.EventRelaySendFailed(logger, portalEvent.GetType().Name, ex);
        }
    }

    /// <summary>Listens until <paramref name="ct"/> ends, re-opening the connection after a failure.</summary>
    public async Task ListenAsync(CancellationToken ct)
    {
        var incoming = System.Threading.Channels.Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        var delivery = DeliverAsync(incoming.Reader, ct);
        var wait = TimeSpan.FromSeconds(1);
        try
        {
            while (!ct.IsCancellationRequested)
            {
                try
                {
                    await using var connection = await dataSource.OpenConnectionAsync(ct);
                    connection.Notification += (_, e) => incoming.Writer.TryWrite(e.Payload);
                    await using (var listen = connection.CreateCommand())
                    {
                        listen.CommandText = $"LISTEN {ChannelName}";
                        await listen.ExecuteNonQueryAsync(ct);
                    }

                    listening.TrySetResult();
                    wait = TimeSpan.FromSeconds(1);
                    while (true)
                    {
                        await connection.WaitAsync(ct);
                    }
                }
                catch (Exception ex) when (ex is NpgsqlException or TimeoutException or System.IO.IOException && !ct.IsCancellationRequested)
                {
                    CoreLog.EventRelayListenFailed(logger, wait.TotalSeconds, ex);
                    await Task.Delay(wait, ct);
                    wait = TimeSpan.FromSeconds(Math.Min(30, wait.TotalSeconds * 2));
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        finally
        {
            incoming.Writer.TryComplete();
            await delivery;
        }
    }

    public ValueTask DisposeAsync() => dataSource.DisposeAsync();

    /// <summary>The event as messages that each fit in a NOTIFY.</summary>
    internal static IEnumerable<PortalEvent> Split(PortalEvent portalEvent) => portalEvent switch
    {
        AssignmentsChanged { LearnerIds.Count: > IdsPerMessage } e => e.LearnerIds.Chunk(IdsPerMessage).Select(ids => new AssignmentsChanged(e.CertificationId, ids)),
        ResultsRecorded { LearnerIds.Count: > IdsPerMessage } e => e.LearnerIds.Chunk(IdsPerMessage).Select(ids => new ResultsRecorded(ids)),
        Notifications.NotificationsRecorded { RecipientIds.Count: > IdsPerMessage } e =>
            e.RecipientIds.Chunk(IdsPerMessage).Select(ids => new Notifications.NotificationsRecorded(ids)),
        _ => [portalEvent],
    };

    private async Task DeliverAsync(ChannelReader<string> incoming, CancellationToken ct)
    {
        await foreach (var payload in incoming.ReadAllAsync(CancellationToken.None))
        {
            Message? message;
            try
            {
                message = JsonSerializer.Deserialize<Message>(payload, Json);
            }
            catch (JsonException ex)
            {
                CoreLog.EventRelayUnreadable(logger, Encoding.UTF8.GetByteCount(payload), ex);
                continue;
            }

            if (message is { Event: { } portalEvent } && message.Origin != InstanceId && !ct.IsCancellationRequested)
            {
                await hub.DeliverAsync(portalEvent);
            }
        }
    }

    private sealed record Message(Guid Origin, PortalEvent? Event);
}

/// <summary>
/// Runs the relay when the portal is on PostgreSQL (<c>Database:Provider</c>); on SQLite there is one instance and
/// nothing to relay.
/// </summary>
internal sealed class EventRelayService(DatabaseSettings database, EventHub hub, ILogger<PostgresEventRelay> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (database.Provider != DatabaseProvider.PostgreSql)
        {
            return;
        }

        await using var relay = new PostgresEventRelay(database.ConnectionString, hub, logger);
        hub.Attach(relay);
        await relay.ListenAsync(stoppingToken);
    }
}
