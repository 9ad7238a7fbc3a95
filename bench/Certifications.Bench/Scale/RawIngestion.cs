using Certifications.Bench.Enrolment;
using Microsoft.Data.Sqlite;

namespace Certifications.Bench.Scale;

/// <summary>
/// The same batch by hand: the rows the portal accepts from it, inserted with one prepared INSERT in one transaction.
/// Their external ids are prefixed so that they do not collide with the ones the portal recorded; what is stored is
/// otherwise the same (a tie between two equal results goes to the earlier id, so the progress does not change).
/// </summary>
internal static class RawIngestion
{
    private const string Insert = """
        INSERT INTO "StepResults" ("LearnerId", "StepId", "Score", "CompletedAt", "ExternalId", "ReceivedAt")
        VALUES ($learner, $step, $score, $completedAt, $externalId, $receivedAt)
        ON CONFLICT ("ExternalId") DO NOTHING
        """;

    public static async Task<int> InsertAsync(string connectionString, StreamBatch batch, DateTime now)
    {
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync();
        await using var transaction = connection.BeginTransaction();
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = Insert;
        var learner = command.Parameters.Add("$learner", SqliteType.Integer);
        var step = command.Parameters.Add("$step", SqliteType.Integer);
        var score = command.Parameters.Add("$score", SqliteType.Real);
        var completedAt = command.Parameters.Add("$completedAt", SqliteType.Text);
        var externalId = command.Parameters.Add("$externalId", SqliteType.Text);
        command.Parameters.AddWithValue("$receivedAt", EnrolmentGenerator.Text(now));
        command.Prepare();
        var inserted = 0;
        for (var i = 0; i < batch.Items.Count; i++)
        {
            if (!batch.New[i])
            {
                continue;
            }

            var item = batch.Items[i];
            learner.Value = item.LearnerId!.Value;
            step.Value = item.StepId!.Value;
            score.Value = (double)item.Score!.Value;
            completedAt.Value = EnrolmentGenerator.Text(item.CompletedAt!.Value);
            externalId.Value = "raw-" + item.ExternalId;
            inserted += await command.ExecuteNonQueryAsync();
        }

        await transaction.CommitAsync();
        return inserted;
    }
}
