using System.Runtime.CompilerServices;
using Certifications.Core.Events;
using Certifications.Core.Persistence;
using Certifications.Core.Progress;
using Microsoft.EntityFrameworkCore;

namespace Certifications.Core.Notifications;

/// <summary>Notifications were recorded for these people: their bells re-count.</summary>
public sealed record NotificationsRecorded(IReadOnlyList<int> RecipientIds) : PortalEvent;

/// <summary>Someone marked their notifications read (on one page): their bells elsewhere re-count.</summary>
public sealed record NotificationsRead(int RecipientId) : PortalEvent;

/// <summary>
/// Gathers the notification events an evaluation or an enrolment finds and records them in the caller's transaction,
/// with the status change that causes them: one notification per recipient (the learner, unless the certification is
/// invisible; their manager, for all but the assignment itself), only for the events the certification has on.
/// <para>
/// Each is unique by (recipient, learner, certification, kind, occurrence) and written with INSERT ... ON CONFLICT DO
/// NOTHING, so "once" holds by construction: an evaluation run twice, a run after a restart, a second node, or two
/// sources reaching one learner record nothing more. One multi-row statement per <see cref="RowsPerStatement"/> events,
/// the rows as one JSON parameter, as the progress writes send theirs.
/// </para>
/// </summary>
public sealed class NotificationOutbox
{
    public const int RowsPerStatement = 2_000;

    private readonly List<NotificationEvent> events = [];
    private readonly HashSet<int> recipients = [];

    public IReadOnlyList<NotificationEvent> Events => events;

    /// <summary>Who got a notification from what this outbox wrote.</summary>
    public IReadOnlyCollection<int> Recipients => recipients;

    public void Add(IEnumerable<NotificationEvent> found)
    {
        ArgumentNullException.ThrowIfNull(found);
        events.AddRange(found);
    }

    /// <summary>Records what was gathered; inside the caller's transaction, so it commits or rolls back with the change.</summary>
    public async Task SaveAsync(CertificationsDbContext db, DateTime now, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (events.Count == 0)
        {
            return;
        }

        if (db.Database.CurrentTransaction is null)
        {
            throw new InvalidOperationException("Notifications are recorded in the transaction of the change that causes them.");
        }

        var dialect = SqlDialects.Of(db.Database);
        foreach (var chunk in events.Chunk(RowsPerStatement))
        {
            var rows = ProgressWrites.Json(
                chunk.Select(e => new object?[]
                {
                    e.LearnerId, e.CertificationId, e.Kind.ToString(), e.Occurrence, e.EffectiveAt, e.DeadlineAt, (int)e.Flag, e.CopiesManager ? 1 : 0,
                }),
                dialect);
            var inserted = await db.Database.SqlQuery<int>(FormattableStringFactory.Create(InsertSql.For(dialect), rows, now)).ToListAsync(ct);
            recipients.UnionWith(inserted);
        }
    }

    /// <summary>After commit: the recipients' bells re-count.</summary>
    public async Task AnnounceAsync(EventHub hub)
    {
        ArgumentNullException.ThrowIfNull(hub);
        if (recipients.Count > 0)
        {
            await hub.PublishAsync(new NotificationsRecorded([.. recipients.Order()]));
        }
    }

    /// <summary>
    /// The insert on each database: {0} the events (learner, certification, kind, occurrence, effective at, deadline,
    /// flag, copies manager) as JSON, {1} now; the recipients of the rows inserted. Each row's values are read from the
    /// JSON once (MATERIALIZED), not once per recipient. Recipient 0 is the learner, 1 their manager.
    /// </summary>
    private static class InsertSql
    {
        // The WHERE before ON CONFLICT is SQLite's: it tells the upsert clause from a join's ON.
        private const string Sqlite = """
            WITH v AS MATERIALIZED (
                SELECT value ->> 0 AS "LearnerId", value ->> 1 AS "CertificationId", value ->> 2 AS "Kind", value ->> 3 AS "Occurrence",
                       value ->> 4 AS "EffectiveAt", value ->> 5 AS "DeadlineAt", value ->> 6 AS "Flag", value ->> 7 AS "CopiesManager"
                FROM json_each({0})
            )
            INSERT INTO "Notifications" ("RecipientId", "LearnerId", "CertificationId", "Kind", "Occurrence", "EffectiveAt", "DeadlineAt",
                                         "RecordedAt", "Email", "Attempts", "NextAttemptAt")
            SELECT CASE who.n WHEN 0 THEN l."Id" ELSE l."ManagerId" END, l."Id", c."Id", v."Kind", v."Occurrence", v."EffectiveAt", v."DeadlineAt",
                   {1}, 'Pending', 0, {1}
            FROM v
            CROSS JOIN "Learners" AS l ON l."Id" = v."LearnerId"
            CROSS JOIN "Certifications" AS c ON c."Id" = v."CertificationId"
            CROSS JOIN (SELECT 0 AS n UNION ALL SELECT 1) AS who
            WHERE (c."NotificationEvents" & v."Flag") <> 0
              AND CASE who.n WHEN 0 THEN NOT c."IsInvisible" ELSE v."CopiesManager" = 1 AND l."ManagerId" IS NOT NULL AND l."ManagerId" <> l."Id" END
            ON CONFLICT DO NOTHING
            RETURNING "RecipientId" AS "Value"
            """;

        private const string PostgreSql = """
            WITH v AS MATERIALIZED (
                SELECT (value ->> 0)::integer AS "LearnerId", (value ->> 1)::integer AS "CertificationId", value ->> 2 AS "Kind", value ->> 3 AS "Occurrence",
                       (value ->> 4)::timestamptz AS "EffectiveAt", (value ->> 5)::timestamptz AS "DeadlineAt", (value ->> 6)::integer AS "Flag",
                       (value ->> 7)::integer AS "CopiesManager"
                FROM jsonb_array_elements(CAST({0} AS jsonb))
            )
            INSERT INTO "Notifications" ("RecipientId", "LearnerId", "CertificationId", "Kind", "Occurrence", "EffectiveAt", "DeadlineAt",
                                         "RecordedAt", "Email", "Attempts", "NextAttemptAt")
            SELECT CASE who.n WHEN 0 THEN l."Id" ELSE l."ManagerId" END, l."Id", c."Id", v."Kind", v."Occurrence", v."EffectiveAt", v."DeadlineAt",
                   {1}, 'Pending', 0, {1}
            FROM v
            JOIN "Learners" AS l ON l."Id" = v."LearnerId"
            JOIN "Certifications" AS c ON c."Id" = v."CertificationId"
            CROSS JOIN (SELECT 0 AS n UNION ALL SELECT 1) AS who
            WHERE (c."NotificationEvents" & v."Flag") <> 0
              AND CASE who.n WHEN 0 THEN NOT c."IsInvisible" ELSE v."CopiesManager" = 1 AND l."ManagerId" IS NOT NULL AND l."ManagerId" <> l."Id" END
            ON CONFLICT DO NOTHING
            RETURNING "RecipientId" AS "Value"
            """;

        public static string For(SqlDialect dialect) => dialect == SqlDialect.PostgreSql ? PostgreSql : Sqlite;
    }
}
