using Certifications.Bench.Scale;
using Npgsql;
using NpgsqlTypes;

namespace Certifications.Bench.Postgres;

/// <summary>
/// <see cref="RawIngestion"/> on PostgreSQL: the rows the portal accepts from a batch, inserted with one prepared
/// INSERT in one transaction, their external ids prefixed so that they do not collide with the portal's.
/// </summary>
internal static class RawPostgresIngestion
{
    private const string Insert = """
        INSERT INTO "StepResults" ("LearnerId", "StepId", "Score", "CompletedAt", "ExternalId", "ReceivedAt")
        VALUES ($1, $2, $3, $4, $5, $6)
        ON CONFLICT ("ExternalId") DO NOTHING
        """;

    public static async Task<int> InsertAsync(NpgsqlDataSource dataSource, StreamBatch batch, DateTime now, string prefix)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using var command = new NpgsqlCommand(Insert, connection, transaction);
        var learner = new NpgsqlParameter<int> { NpgsqlDbType = NpgsqlDbType.Integer };
        var step = new NpgsqlParameter<int> { NpgsqlDbType = NpgsqlDbType.Integer };
        var score = new NpgsqlParameter<double> { NpgsqlDbType = NpgsqlDbType.Double };
        var completedAt = new NpgsqlParameter<DateTime> { NpgsqlDbType = NpgsqlDbType.TimestampTz };
        var externalId = new NpgsqlParameter<string> { NpgsqlDbType = NpgsqlDbType.Text };
        NpgsqlParameter[] parameters = [learner, step, score, completedAt, externalId, new NpgsqlParameter<DateTime> { NpgsqlDbType = NpgsqlDbType.TimestampTz, TypedValue = now }];
        command.Parameters.AddRange(parameters);
        await command.PrepareAsync();
        var inserted = 0;
        for (var i = 0; i < batch.Items.Count; i++)
        {
            if (!batch.New[i])
            {
                continue;
            }

            var item = batch.Items[i];
            learner.TypedValue = item.LearnerId!.Value;
            step.TypedValue = item.StepId!.Value;
            score.TypedValue = (double)item.Score!.Value;
            completedAt.TypedValue = item.CompletedAt!.Value;
            externalId.TypedValue = prefix + item.ExternalId;
            inserted += await command.ExecuteNonQueryAsync();
        }

        await transaction.CommitAsync();
        return inserted;
    }
}
