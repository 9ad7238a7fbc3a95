using System.Globalization;
using Certifications.Core.Progress;
using Microsoft.Data.Sqlite;

namespace Certifications.Bench.Scale;

/// <summary>One batch as a learning system sends it, with what the portal should make of each item.</summary>
internal sealed record StreamBatch(IReadOnlyList<ResultItem> Items, IReadOnlyList<bool> New)
{
    public int Accepted => New.Count(n => n);
}

/// <summary>
/// New results arriving over the last three days, for learners picked at random among every held assignment (so over
/// many learners and certifications), on the steps of the certification's courses, mostly graded. One item in a
/// hundred repeats an external id (sent earlier in the batch or in an earlier batch) and one in a hundred is wrong
/// (an unknown learner or step, a score above 100, an instant after the clock): the portal reports both, item by item.
/// </summary>
internal sealed class IngestionStream
{
    private readonly List<(int Learner, int Certification)> assignments = [];
    private readonly Dictionary<int, (int[] Graded, int[] Ungraded)> stepsOf = [];
    private readonly List<ResultItem> sent = [];
    private readonly Random random = new(20_261_130);
    private int maxLearner;
    private int maxStep;
    private long sequence;

    public static async Task<IngestionStream> LoadAsync(string connectionString)
    {
        var stream = new IngestionStream();
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync();
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = """SELECT "LearnerId", "CertificationId" FROM "Assignments" WHERE "WithdrawnAt" IS NULL ORDER BY "Id" """;
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                stream.assignments.Add((reader.GetInt32(0), reader.GetInt32(1)));
            }
        }

        var steps = new Dictionary<int, (List<int> Graded, List<int> Ungraded)>();
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = """
                SELECT cc."CertificationId", s."Id", s."IsGraded" FROM "CertificationCourses" cc JOIN "Steps" s ON s."CourseId" = cc."CourseId"
                ORDER BY cc."CertificationId", cc."Position", s."Position"
                """;
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                var (graded, ungraded) = steps.TryGetValue(reader.GetInt32(0), out var found) ? found : steps[reader.GetInt32(0)] = ([], []);
                (reader.GetBoolean(2) ? graded : ungraded).Add(reader.GetInt32(1));
            }
        }

        foreach (var (certification, (graded, ungraded)) in steps)
        {
            stream.stepsOf[certification] = ([.. graded], [.. ungraded]);
        }

        await using (var command = connection.CreateCommand())
        {
            command.CommandText = """SELECT (SELECT MAX("Id") FROM "Learners"), (SELECT MAX("Id") FROM "Steps")""";
            await using var reader = await command.ExecuteReaderAsync();
            await reader.ReadAsync();
            (stream.maxLearner, stream.maxStep) = (reader.GetInt32(0), reader.GetInt32(1));
        }

        return stream;
    }

    public StreamBatch Next(int size)
    {
        var items = new List<ResultItem>(size);
        var isNew = new List<bool>(size);
        var now = ScaleOrganisation.Now;
        for (var i = 0; i < size; i++)
        {
            var roll = random.NextDouble();
            if (roll < 0.01 && (i > 0 || sent.Count > 0))
            {
                // The same result sent again: earlier in this batch, or in an earlier one.
                var inBatch = i > 0 && (sent.Count == 0 || random.NextDouble() < 0.5);
                items.Add(inBatch ? items[random.Next(i)] with { } : sent[random.Next(sent.Count)] with { });
                isNew.Add(false);
                continue;
            }

            var (learner, certification) = assignments[random.Next(assignments.Count)];
            var (graded, ungraded) = stepsOf[certification];
            var step = ungraded.Length > 0 && random.NextDouble() < 0.1 ? ungraded[random.Next(ungraded.Length)] : graded[random.Next(graded.Length)];
            var item = new ResultItem(
                string.Create(CultureInfo.InvariantCulture, $"feed-{unchecked((ulong)++sequence * 0x9E3779B97F4A7C15UL):x16}"),
                learner,
                step,
                (decimal)Draw.Score(random, 78, 14),
                Draw.Between(random, now.AddDays(-3), now));
            if (roll < 0.02)
            {
                item = (sequence % 4) switch
                {
                    0 => item with { LearnerId = maxLearner + 1_000 },
                    1 => item with { StepId = maxStep + 1_000 },
                    2 => item with { Score = 100.5m },
                    _ => item with { CompletedAt = now.AddHours(1) },
                };
            }

            items.Add(item);
            isNew.Add(roll >= 0.02);
        }

        for (var i = 0; i < size; i++)
        {
            if (isNew[i])
            {
                sent.Add(items[i]);
            }
        }

        return new StreamBatch(items, isNew);
    }
}
