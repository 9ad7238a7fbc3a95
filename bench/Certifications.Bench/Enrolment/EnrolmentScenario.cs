using System.Diagnostics;
using System.Globalization;
using Certifications.Bench.Measuring;
using Certifications.Bench.Search;
using Certifications.Core.Auditing;
using Certifications.Core.Catalog;
using Certifications.Core.Certifications;
using Certifications.Core.Enrollment;
using Certifications.Core.Persistence;
using Certifications.Core.Progress;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Certifications.Bench.Enrolment;

/// <summary>
/// Publishing a certification to groups of 50,000 learners, and 5,000 learners joining and then leaving one of those
/// groups (<see cref="EnrollmentSync"/>), against the same rows written by hand-written SQL on the same file, in the
/// same run.
/// </summary>
internal static class EnrolmentScenario
{
    public static Scenario Definition { get; } = new(
        "enrolment",
        "Publishing a certification to 50,000 learners, 5,000 joining and leaving a targeted group: EnrollmentSync against hand-written SQL.",
        "--calls N (measured calls per operation, default 8), --warm-up S (seconds per operation, default 2), " +
        "--explain (each statement of ours and raw: SQLite's plan and its time in the sequence; every command of the whole publish, and its recompute alone), " +
        "--keep-database (leave the file for the sqlite3 shell)",
        RunAsync);

    private static async Task<int> RunAsync(string[] args)
    {
        var calls = Scenario.Option(args, "--calls", 8);
        var warmUp = TimeSpan.FromSeconds(Scenario.Option(args, "--warm-up", 2));
        var run = Stopwatch.StartNew();
        var output = Console.Out;

        await using var database = await BenchDatabase.CreateAsync();
        database.Keep = args.Contains("--keep-database");
        var generation = Stopwatch.StartNew();
        var data = await GenerateAsync(database.ConnectionString);
        generation.Stop();

        await using var services = database.CreateServices(s => s.AddLogging());
        var factory = services.GetRequiredService<IDbContextFactory<CertificationsDbContext>>();
        var certifications = services.GetRequiredService<CertificationService>();
        var states = new EnrolmentStates(database.ConnectionString, data);

        var operations = Operations(factory, certifications, database.ConnectionString, states, data);
        var (measured, wholePublish) = (operations[..^1], operations[^1]);
        var changes = await VerifySameRowsAsync(measured, wholePublish, states);

        output.WriteLine("## Enrolment: publish to 50,000 learners, 5,000 joining and leaving");
        output.WriteLine();
        output.WriteLine($"- Date: {TimeProvider.System.GetUtcNow():yyyy-MM-dd HH:mm} UTC");
        output.WriteLine($"- Machine: {Machine.Describe()}; load average before measuring: {Machine.LoadAverage()}");
        output.WriteLine($"- SQLite {await database.SqliteVersionAsync()}, one file in WAL mode ({database.FileSize / 1024 / 1024} MB), migrated by DatabaseInitializer");
        output.WriteLine($"- Data (seed {EnrolmentGenerator.Seed}): {data.Describe()}; generated in {generation.Elapsed.TotalSeconds:F1} s");
        output.WriteLine($"- The certification: 3 courses, {data.TargetedGroupIds.Count} targeted groups with {data.TargetedMemberships:N0} memberships of " +
            $"{data.TargetedLearners:N0} distinct learners ({data.TargetedMemberships - data.TargetedLearners:N0} in two of them: two group sources, one assignment)");
        output.WriteLine($"- Publish: {changes[0]}. Join: {data.Joiners.Count:N0} learners join the largest targeted group, {data.JoinersAlreadyAssigned:N0} " +
            $"of them already holding it through another; {changes[1]}. Leave: the same learners leave it; {changes[3]}");
        output.WriteLine($"- Each operation: {warmUp.TotalSeconds:F0} s of warm-up, then {calls} measured calls of ours and of raw, interleaved; before every call, " +
            "untimed, the rows are put back (and checked to be the same) and the write-ahead log is checkpointed");
        output.WriteLine("- Ours: a fresh CertificationsDbContext, a transaction, the operation, commit. Raw: a pooled SqliteConnection, a transaction, " +
            "hand-written SQL with the same effects, commit. Before measuring, each operation ran both ways and every row they wrote was compared: the same");
        output.WriteLine();

        if (args.Contains("--explain"))
        {
            await ExplainAsync(database, measured, states, data, output);
        }

        var results = new List<OperationResult>();
        foreach (var operation in operations)
        {
            results.Add(await InterleavedRun.MeasureAsync(operation.ToMeasured(states), warmUp, calls));
        }

        ResultTable.PrintWithMinimum(results, output);
        output.WriteLine();
        output.WriteLine($"Load average after measuring: {Machine.LoadAverage()}.");
        output.WriteLine();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Run time: {run.Elapsed.TotalSeconds:F1} s (generation, checks and resets included)."));
        if (database.Keep)
        {
            await states.ResetAsync(EnrolmentStage.Assigned);
            output.WriteLine($"Database kept at {database.FilePath}, the certification published and assigned");
        }

        return 0;
    }

    /// <summary>The operations compared row by row, then the whole publish as an admin's click runs it.</summary>
    private static EnrolmentOperation[] Operations(
        IDbContextFactory<CertificationsDbContext> factory, CertificationService certifications, string connectionString, EnrolmentStates states, EnrolmentData data)
    {
        var c = data.CertificationId;
        var g = data.ChangingGroupId;
        return
        [
            new($"Publish: the enrolment in the publish transaction ({data.TargetedLearners:N0} learners)",
                () => states.ResetAsync(EnrolmentStage.Published),
                () => OursAsync(factory, db => EnrollmentSync.CertificationChangedAsync(db, c, EnrolmentStates.PublishedAt, default)),
                () => RawAsync(connectionString, (connection, transaction) =>
                    RawEnrolmentSync.CertificationChangedAsync(connection, transaction, c, EnrolmentStates.PublishedAt))),
            new($"Join: {data.Joiners.Count:N0} group members added, and their enrolment",
                () => states.ResetAsync(EnrolmentStage.Assigned),
                () => OursAsync(factory, async db =>
                {
                    db.GroupMembers.AddRange(data.Joiners.Select(l => new GroupMember { GroupId = g, LearnerId = l, JoinedAt = EnrolmentStates.JoinedAt }));
                    await db.SaveChangesAsync();
                    return await EnrollmentSync.MembershipChangedAsync(db, [g], EnrolmentStates.JoinedAt, default);
                }),
                () => RawAsync(connectionString, async (connection, transaction) =>
                {
                    await EnrolmentStates.ChangeMembersAsync(connection, transaction, g, states.Joiners, EnrolmentStates.JoinedAt);
                    return await RawEnrolmentSync.MembershipChangedAsync(connection, transaction, [g], EnrolmentStates.JoinedAt);
                })),
            new("Join: the enrolment alone (MembershipChangedAsync, the rows added before)",
                () => states.ResetAsync(EnrolmentStage.MembersJoined),
                () => OursAsync(factory, db => EnrollmentSync.MembershipChangedAsync(db, [g], EnrolmentStates.JoinedAt, default)),
                () => RawAsync(connectionString, (connection, transaction) =>
                    RawEnrolmentSync.MembershipChangedAsync(connection, transaction, [g], EnrolmentStates.JoinedAt))),
            new($"Leave: the same {data.Joiners.Count:N0} group members removed, and their enrolment",
                () => states.ResetAsync(EnrolmentStage.Joined),
                () => OursAsync(factory, async db =>
                {
                    await db.GroupMembers.Where(m => m.GroupId == g && data.Joiners.Contains(m.LearnerId)).ExecuteDeleteAsync();
                    return await EnrollmentSync.MembershipChangedAsync(db, [g], EnrolmentStates.LeftAt, default);
                }),
                () => RawAsync(connectionString, async (connection, transaction) =>
                {
                    await EnrolmentStates.ChangeMembersAsync(connection, transaction, g, states.Joiners, joinedAt: null);
                    return await RawEnrolmentSync.MembershipChangedAsync(connection, transaction, [g], EnrolmentStates.LeftAt);
                })),
            new("Leave: the enrolment alone (MembershipChangedAsync, the rows removed before)",
                () => states.ResetAsync(EnrolmentStage.MembersLeft),
                () => OursAsync(factory, db => EnrollmentSync.MembershipChangedAsync(db, [g], EnrolmentStates.LeftAt, default)),
                () => RawAsync(connectionString, (connection, transaction) =>
                    RawEnrolmentSync.MembershipChangedAsync(connection, transaction, [g], EnrolmentStates.LeftAt))),

            // Not the same work on both sides, so not compared row by row: ours is the whole service call an admin's
            // click makes, raw only the state change and the enrolment it contains.
            new("CertificationService.PublishAsync, whole (raw: the state change and the enrolment only)",
                () => states.ResetAsync(EnrolmentStage.Draft),
                async () =>
                {
                    var outcome = await certifications.PublishAsync(c, data.DraftVersion, Actor.System);
                    return outcome.Succeeded
                        ? EnrollmentChanges.None
                        : throw new InvalidOperationException($"PublishAsync failed: {outcome.Failure} {string.Join("; ", outcome.Errors.Select(e => e.Message))}");
                },
                () => RawAsync(connectionString, (connection, transaction) => RawPublishAsync(connection, transaction, data))),
        ];
    }

    /// <summary>The generated rows, then the two other certifications' assignments, written by the raw sync.</summary>
    private static async Task<EnrolmentData> GenerateAsync(string connectionString)
    {
        var data = EnrolmentGenerator.Generate(connectionString);
        await RawAsync(connectionString, async (connection, transaction) =>
        {
            var earlier = new DateTime(2026, 9, 14, 10, 0, 0, DateTimeKind.Utc);
            var first = await RawEnrolmentSync.CertificationChangedAsync(connection, transaction, 1, earlier);
            return first.Plus(await RawEnrolmentSync.CertificationChangedAsync(connection, transaction, 2, earlier));
        });
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync();
        await using var checkpoint = connection.CreateCommand();
        checkpoint.CommandText = "PRAGMA wal_checkpoint(TRUNCATE);";
        await checkpoint.ExecuteNonQueryAsync();
        return data;
    }

    private static async Task<EnrollmentChanges> OursAsync(IDbContextFactory<CertificationsDbContext> factory, Func<CertificationsDbContext, Task<EnrollmentChanges>> work)
    {
        await using var db = await factory.CreateDbContextAsync();
        await using var transaction = await db.Database.BeginTransactionAsync();
        var changes = await work(db);
        await transaction.CommitAsync();
        return changes;
    }

    private static async Task<EnrollmentChanges> RawAsync(string connectionString, Func<SqliteConnection, SqliteTransaction, Task<EnrollmentChanges>> work)
    {
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync();
        await using var transaction = connection.BeginTransaction();
        var changes = await work(connection, transaction);
        await transaction.CommitAsync();
        return changes;
    }

    /// <summary>The publish's own writes by hand: the state, guarded by the version the admin saw, then the enrolment.</summary>
    private static async Task<EnrollmentChanges> RawPublishAsync(SqliteConnection connection, SqliteTransaction transaction, EnrolmentData data)
    {
        var now = TimeProvider.System.GetUtcNow().UtcDateTime;
        await using (var command = connection.CreateCommand())
        {
            command.Transaction = transaction;
            command.CommandText = """
                UPDATE "Certifications" SET "State" = 'Published', "PublishedAt" = $now, "UpdatedAt" = $now, "Version" = $newVersion
                WHERE "Id" = $certification AND "Version" = $version AND "State" = 'Draft';
                """;
            command.Parameters.AddWithValue("$now", now);
            command.Parameters.AddWithValue("$newVersion", Guid.NewGuid().ToString().ToUpperInvariant());
            command.Parameters.AddWithValue("$certification", data.CertificationId);
            command.Parameters.AddWithValue("$version", data.DraftVersion.ToString().ToUpperInvariant());
            Require(await command.ExecuteNonQueryAsync() == 1, "the raw publish finds the draft");
        }

        return await RawEnrolmentSync.CertificationChangedAsync(connection, transaction, data.CertificationId, now);
    }

    /// <summary>
    /// A ratio means nothing unless both sides do the same thing: each operation runs once each way from the same rows,
    /// and every row they wrote is compared, with what each reported it changed. The whole publish runs at the clock's
    /// time and recomputes progress, so only its assignments and sources are counted. Returns what each operation did.
    /// </summary>
    private static async Task<string[]> VerifySameRowsAsync(EnrolmentOperation[] operations, EnrolmentOperation wholePublish, EnrolmentStates states)
    {
        var did = new List<string>();
        foreach (var operation in operations)
        {
            await operation.Prepare();
            var before = await states.RowsAsync();
            var ours = await operation.Ours();
            var oursRows = await states.RowsAsync();
            await operation.Prepare();
            Require((await states.RowsAsync()).SequenceEqual(before), $"rows before \"{operation.Name}\" after a reset");
            var raw = await operation.Raw();
            var rawRows = await states.RowsAsync();
            var (first, second) = oursRows.Zip(rawRows).FirstOrDefault(pair => pair.First != pair.Second);
            Require(oursRows.SequenceEqual(rawRows),
                $"rows written by \"{operation.Name}\" ({oursRows.Count:N0} and {rawRows.Count:N0} rows; first difference: {first} / {second})");
            Require(Same(ours.Assigned, raw.Assigned) && Same(ours.Restored, raw.Restored) && Same(ours.Withdrawn, raw.Withdrawn),
                $"changes reported by \"{operation.Name}\"");
            var (assignments, sources) = Counts(oursRows);
            did.Add($"{ours.Assigned.Count:N0} assigned, {ours.Restored.Count:N0} restored, {ours.Withdrawn.Count:N0} withdrawn " +
                $"(then {assignments:N0} assignments, {sources:N0} group sources)");
        }

        await operations[0].Prepare();
        await operations[0].Ours();
        var expected = Counts(await states.RowsAsync());
        foreach (var side in new[] { wholePublish.Ours, wholePublish.Raw })
        {
            await wholePublish.Prepare();
            await side();
            Require(Counts(await states.RowsAsync()) == expected, $"assignments and sources written by \"{wholePublish.Name}\"");
        }

        return [.. did];
    }

    /// <summary>
    /// For each operation, ours (every command EF Core sent, captured) and raw: each statement's plan and its time in
    /// the sequence, from the rows the operation starts from, rolled back.
    /// </summary>
    private static async Task ExplainAsync(BenchDatabase database, EnrolmentOperation[] measured, EnrolmentStates states, EnrolmentData data, TextWriter output)
    {
        var capture = new CommandCapture();
        await using var services = database.CreateServices(s => s.AddLogging().ConfigureDbContext<CertificationsDbContext>(o => o.AddInterceptors(capture)));
        var captured = Operations(
            services.GetRequiredService<IDbContextFactory<CertificationsDbContext>>(), services.GetRequiredService<CertificationService>(),
            database.ConnectionString, states, data);
        var sequence = new StatementSequence(database.ConnectionString);
        var c = data.CertificationId;
        var groups = System.Text.Json.JsonSerializer.Serialize(new[] { data.ChangingGroupId });
        Statement[] Raw(string title, string? groupsJson, DateTime now) =>
        [
            new(title, groupsJson is null ? RawEnrolmentSync.Certification : RawEnrolmentSync.CertificationsTargeting,
                RawEnrolmentSync.Parameters(c, groupsJson, now, 0, 0)),
            .. RawEnrolmentSync.Statements(groupsJson is not null).Select(s => new Statement(s.Name, s.Sql, RawEnrolmentSync.Parameters(c, groupsJson, now, 14, 3))),
        ];
        Statement Members(string sql, DateTime now) =>
            new("membership rows", sql, [("$group", data.ChangingGroupId), ("$learners", states.Joiners), ("$now", now)]);
        Statement[][] raw =
        [
            Raw("the certification", null, EnrolmentStates.PublishedAt),
            [Members(EnrolmentStates.AddMembers, EnrolmentStates.JoinedAt), .. Raw("the certifications targeting the group", groups, EnrolmentStates.JoinedAt)],
            Raw("the certifications targeting the group", groups, EnrolmentStates.JoinedAt),
            [Members(EnrolmentStates.RemoveMembers, EnrolmentStates.LeftAt), .. Raw("the certifications targeting the group", groups, EnrolmentStates.LeftAt)],
            Raw("the certifications targeting the group", groups, EnrolmentStates.LeftAt),
        ];

        output.WriteLine("### Query plans");
        output.WriteLine();
        for (var i = 0; i < measured.Length; i++)
        {
            await captured[i].Prepare();
            capture.Clear();
            await captured[i].Ours();
            var ours = capture.Commands.Select(command => new Statement("EF Core command", command.Sql, command.Parameters)).ToList();
            await captured[i].Prepare();
            await sequence.PrintAsync($"Ours: {measured[i].Name}", ours, runs: 3, output);
            await sequence.PrintAsync($"Raw: {measured[i].Name}", raw[i], runs: 3, output);
        }

        var tally = new CommandTally();
        var saves = new SaveChangesClock();
        await using var tallied = database.CreateServices(s => s.AddLogging().ConfigureDbContext<CertificationsDbContext>(o => o.AddInterceptors(tally, saves)));
        var wholePublish = Operations(
            tallied.GetRequiredService<IDbContextFactory<CertificationsDbContext>>(), tallied.GetRequiredService<CertificationService>(),
            database.ConnectionString, states, data)[^1];
        await wholePublish.Prepare();
        tally.Enabled = saves.Enabled = true;
        var started = Stopwatch.GetTimestamp();
        await wholePublish.Ours();
        var wall = Stopwatch.GetElapsedTime(started);
        tally.Enabled = saves.Enabled = false;
        output.WriteLine("#### Ours: CertificationService.PublishAsync, every command EF Core sent");
        output.WriteLine();
        tally.Print(wall, output);
        saves.Print(output);

        // What the publish does after its commit, alone: the progress of every new assignment.
        await states.ResetAsync(EnrolmentStage.Assigned);
        var recompute = tallied.GetRequiredService<ProgressRecompute>();
        saves.Reset();
        saves.Enabled = true;
        started = Stopwatch.GetTimestamp();
        var changed = await recompute.RecomputeCertificationAsync(c);
        wall = Stopwatch.GetElapsedTime(started);
        saves.Enabled = false;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"ProgressRecompute.RecomputeCertificationAsync alone, on the {data.TargetedLearners:N0} assignments the publish made: {wall.TotalMilliseconds:F0} ms, {changed:N0} changed."));
        saves.Print(output);
    }

    private static (int Assignments, int Sources) Counts(IReadOnlyList<string> rows) =>
        (rows.Count(r => r.StartsWith("assignment|", StringComparison.Ordinal)), rows.Count(r => r.StartsWith("source|", StringComparison.Ordinal)));

    private static bool Same(IReadOnlyList<EnrollmentChange> ours, IReadOnlyList<EnrollmentChange> raw) =>
        ours.Select(c => (c.CertificationId, c.LearnerId)).Order().SequenceEqual(raw.Select(c => (c.CertificationId, c.LearnerId)).Order());

    private static void Require(bool same, string what)
    {
        if (!same)
        {
            throw new InvalidOperationException($"Ours and raw disagree on the {what}: the comparison would be meaningless.");
        }
    }
}

/// <summary>
/// One operation, each side returning what it reports it changed (to compare before measuring); the rows it starts
/// from are put back by <paramref name="Prepare"/>.
/// </summary>
internal sealed record EnrolmentOperation(string Name, Func<Task> Prepare, Func<Task<EnrollmentChanges>> Ours, Func<Task<EnrollmentChanges>> Raw)
{
    /// <summary>For the interleaved run: before every call, untimed, the rows are put back and checked to be those both sides were compared on.</summary>
    public Operation ToMeasured(EnrolmentStates states)
    {
        IReadOnlyList<string>? start = null;
        return new Operation(Name, ["once"], _ => Ours(), _ => Raw(), async _ =>
        {
            await Prepare();
            var rows = await states.RowsAsync();
            start ??= rows;
            if (!rows.SequenceEqual(start))
            {
                throw new InvalidOperationException($"\"{Name}\" did not start from the same rows every time.");
            }
        });
    }
}
