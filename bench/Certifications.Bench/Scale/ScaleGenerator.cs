using System.Diagnostics;
using System.Globalization;
using Certifications.Bench.Catalog;
using Certifications.Bench.Enrolment;
using Microsoft.Data.Sqlite;

namespace Certifications.Bench.Scale;

/// <summary>What was written, counted, with how long each part took.</summary>
internal sealed record GeneratedScale(
    int Learners, int Groups, int Memberships, int Courses, int Steps, int Certifications, int RenewingCertifications, int Assignments,
    int Sources, int Withdrawn, int Results, int SimulatedResults, TimeSpan Modelling, TimeSpan Writing, TimeSpan Indexing)
{
    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"{Learners:N0} learners (with managers) in {Groups:N0} groups ({Memberships:N0} memberships); {Courses:N0} courses with {Steps:N0} steps; " +
        $"{Certifications:N0} published certifications ({RenewingCertifications:N0} renewing); {Assignments:N0} assignments ({Withdrawn:N0} withdrawn) with " +
        $"{Sources:N0} sources; {Results:N0} step results ({SimulatedResults:N0} played toward a certification held, the rest other training)");
}

/// <summary>
/// Writes a <see cref="ScaleOrganisation"/> and its simulated results into a migrated database through prepared,
/// multi-row INSERTs in one transaction, with the big tables' indexes dropped while the rows go in and created again
/// from the very SQL the migrations gave them: the schema and indexes are the product's. The assignments' progress is
/// left at "not started": the product's full recompute derives it afterwards.
/// </summary>
internal static class ScaleGenerator
{
    public const int Seed = 20_261_127;

    private static readonly string[] BulkTables = ["StepResults", "Assignments", "AssignmentSources", "GroupMembers", "Learners"];

    public static GeneratedScale Generate(string connectionString, ScaleSize size, TextWriter log)
    {
        var random = new Random(Seed);
        var modelling = Stopwatch.StartNew();
        var organisation = ScaleOrganisation.Build(size, random);
        var results = new ResultSimulation(organisation, random).Run(out var simulated);
        modelling.Stop();
        log.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  modelled {organisation.Assignments.Count:N0} assignments and {results.Length:N0} results in {modelling.Elapsed.TotalSeconds:F1} s"));

        // The migrator left the file in WAL mode; a bulk load is quicker without a journal, and nothing else has it open.
        SqliteConnection.ClearAllPools();
        using var connection = new SqliteConnection(connectionString);
        connection.Open();
        // Rows go in table by table, a few to a statement, not in the order foreign keys would need: they are checked at the end instead.
        Execute(connection, null, "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA cache_size=-1048576; PRAGMA temp_store=MEMORY; PRAGMA foreign_keys=OFF;");
        var writing = Stopwatch.StartNew();
        List<string> indexes;
        using (var transaction = connection.BeginTransaction())
        {
            indexes = DropIndexes(connection, transaction);
            WriteCatalog(connection, transaction, organisation, random);
            WriteCertifications(connection, transaction, organisation, random);
            WriteAssignments(connection, transaction, organisation, out var sources);
            WriteResults(connection, transaction, results);
            writing.Stop();
            log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  wrote the rows in {writing.Elapsed.TotalSeconds:F1} s"));

            var indexing = Stopwatch.StartNew();
            foreach (var index in indexes)
            {
                Execute(connection, transaction, index);
            }

            transaction.Commit();
            indexing.Stop();
            log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  created {indexes.Count} indexes in {indexing.Elapsed.TotalSeconds:F1} s"));
            RequireForeignKeysHold(connection);
            Execute(connection, null, "PRAGMA journal_mode=WAL;");
            return new GeneratedScale(
                size.Learners, size.Groups, organisation.Memberships.Count, organisation.Courses.Count, organisation.Courses.Sum(c => c.Steps.Length),
                organisation.Certifications.Count, organisation.Certifications.Count(c => c.RenewalMonths is not null), organisation.Assignments.Count,
                sources, organisation.Assignments.Count(a => a.WithdrawnAt is not null), results.Length, simulated, modelling.Elapsed, writing.Elapsed, indexing.Elapsed);
        }
    }

    /// <summary>As EF Core writes a <see cref="DateTime"/> into SQLite.</summary>
    private static string Text(DateTime instant) => EnrolmentGenerator.Text(instant);

    private static string Text(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>
    /// An external id as a learning system makes one: unique, in no useful order (the product's unique index takes
    /// them at random places, as it does in production). Multiplying by an odd constant is a bijection on 64 bits.
    /// </summary>
    public static string ExternalId(long sequence) => string.Create(CultureInfo.InvariantCulture, $"att-{unchecked((ulong)sequence * 0x9E3779B97F4A7C15UL):x16}");

    private static List<string> DropIndexes(SqliteConnection connection, SqliteTransaction transaction)
    {
        var indexes = new List<(string Name, string Sql)>();
        using (var command = connection.CreateCommand())
        {
            command.Transaction = transaction;
            command.CommandText = $"""
                SELECT "name", "sql" FROM sqlite_master
                WHERE "type" = 'index' AND "sql" IS NOT NULL AND "tbl_name" IN ({string.Join(", ", BulkTables.Select(t => $"'{t}'"))})
                ORDER BY "name"
                """;
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                indexes.Add((reader.GetString(0), reader.GetString(1)));
            }
        }

        foreach (var (name, _) in indexes)
        {
            Execute(connection, transaction, $"DROP INDEX \"{name}\";");
        }

        return [.. indexes.Select(i => i.Sql)];
    }

    private static void WriteCatalog(SqliteConnection connection, SqliteTransaction transaction, ScaleOrganisation organisation, Random random)
    {
        using (var courses = new BatchedRowWriter(connection, transaction, "Courses", "Id", "Title", "IsPublished", "IsTrigger", "Version"))
        using (var steps = new BatchedRowWriter(connection, transaction, "Steps", "Id", "CourseId", "Title", "Position", "IsGraded"))
        {
            foreach (var course in organisation.Courses)
            {
                courses.Write(course.Id, course.Title, course.IsPublished, course.IsTrigger, Draw.Guid(random));
                for (var i = 0; i < course.Steps.Length; i++)
                {
                    var kind = course.Graded[i]
                        ? (i == course.Steps.Length - 1 ? "Final assessment" : "Module quiz")
                        : (i % 2 == 0 ? "Introduction video" : "Reading");
                    steps.Write(course.Steps[i], course.Id, $"{kind} {i + 1}", i + 1, course.Graded[i]);
                }
            }
        }

        using (var learners = new BatchedRowWriter(connection, transaction, "Learners", "Id", "Name", "Email", "NormalizedEmail", "ManagerId", "Version"))
        {
            for (var id = 1; id <= organisation.Size.Learners; id++)
            {
                var first = CatalogWords.FirstNames[random.Next(CatalogWords.FirstNames.Count)];
                var last = CatalogWords.LastNames[random.Next(CatalogWords.LastNames.Count)];
                var email = string.Create(CultureInfo.InvariantCulture, $"{first}.{last}.{id}@example.com").ToLowerInvariant();
                learners.Write(id, $"{first} {last}", email, email.ToUpperInvariant(), organisation.Managers[id], Draw.Guid(random));
            }
        }

        using (var groups = new BatchedRowWriter(connection, transaction, "Groups", "Id", "Name", "Version"))
        {
            for (var i = 0; i < organisation.GroupNames.Count; i++)
            {
                groups.Write(i + 1, organisation.GroupNames[i], Draw.Guid(random));
            }
        }

        using (var members = new BatchedRowWriter(connection, transaction, "GroupMembers", "GroupId", "LearnerId", "JoinedAt"))
        {
            foreach (var member in organisation.Memberships.OrderBy(m => m.GroupId).ThenBy(m => m.LearnerId))
            {
                members.Write(member.GroupId, member.LearnerId, Text(member.JoinedAt));
            }
        }

        using var groupCourses = new BatchedRowWriter(connection, transaction, "GroupCourses", "GroupId", "CourseId");
        for (var i = 0; i < organisation.GroupCourses.Count; i++)
        {
            foreach (var course in organisation.GroupCourses[i])
            {
                groupCourses.Write(i + 1, course);
            }
        }
    }

    private static void WriteCertifications(SqliteConnection connection, SqliteTransaction transaction, ScaleOrganisation organisation, Random random)
    {
        using var certifications = new BatchedRowWriter(connection, transaction, "Certifications",
            "Id", "Name", "NormalizedName", "Description", "IsInvisible", "EffectiveFrom", "DueDate", "GraceDays", "RenewalRequired", "RenewalPeriodMonths",
            "RenewalWindowDays", "RenewalAnchor", "MinimumPassingGrade", "State", "Version", "CreatedAt", "UpdatedAt", "PublishedAt");
        using var courses = new BatchedRowWriter(connection, transaction, "CertificationCourses", "CertificationId", "CourseId", "Position");
        using var groups = new BatchedRowWriter(connection, transaction, "CertificationGroups", "CertificationId", "GroupId");
        foreach (var c in organisation.Certifications)
        {
            certifications.Write(
                c.Id, c.Name, c.Name.ToUpperInvariant(), $"{c.Courses.Length} courses, minimum grade {c.MinimumPassingGrade}%.", c.IsInvisible,
                Text(c.EffectiveFrom), c.DueDate is { } due ? Text(due) : null, c.GraceDays, c.RenewalMonths is not null, c.RenewalMonths,
                c.RenewalWindowDays, c.RenewalAnchor, (double)c.MinimumPassingGrade, "Published", Draw.Guid(random),
                Text(c.PublishedAt.AddDays(-7)), Text(c.PublishedAt), Text(c.PublishedAt));
            for (var position = 0; position < c.Courses.Length; position++)
            {
                courses.Write(c.Id, c.Courses[position], position);
            }

            foreach (var group in c.TargetGroups.Order())
            {
                groups.Write(c.Id, group);
            }
        }
    }

    private static void WriteAssignments(SqliteConnection connection, SqliteTransaction transaction, ScaleOrganisation organisation, out int sourceCount)
    {
        var courseCounts = organisation.Certifications.ToDictionary(c => c.Id, c => c.Courses.Length);
        var graceDays = organisation.Certifications.ToDictionary(c => c.Id, c => c.GraceDays);
        using var assignments = new BatchedRowWriter(connection, transaction, "Assignments",
            "Id", "CertificationId", "LearnerId", "AssignedAt", "GraceDays", "Status", "CoursesSatisfied", "CoursesRequired", "StatusChangedAt", "WithdrawnAt");
        using var sources = new BatchedRowWriter(connection, transaction, "AssignmentSources", "AssignmentId", "Kind", "GroupId", "AddedAt");
        sourceCount = 0;
        foreach (var a in organisation.Assignments)
        {
            var assignedAt = Text(a.AssignedAt);
            assignments.Write(a.Id, a.CertificationId, a.LearnerId, assignedAt, graceDays[a.CertificationId], "NotStarted", 0, courseCounts[a.CertificationId],
                a.WithdrawnAt is { } withdrawn ? Text(withdrawn) : assignedAt, a.WithdrawnAt is { } w ? Text(w) : null);
            if (a.WithdrawnAt is not null)
            {
                continue;
            }

            if (a.Source == ScaleSourceKind.Group)
            {
                foreach (var group in a.Groups)
                {
                    sources.Write(a.Id, "Group", group, assignedAt);
                    sourceCount++;
                }
            }
            else
            {
                sources.Write(a.Id, a.Source.ToString(), null, assignedAt);
                sourceCount++;
            }
        }

    }

    private static void WriteResults(SqliteConnection connection, SqliteTransaction transaction, ScaleResult[] results)
    {
        using var writer = new BatchedRowWriter(connection, transaction, "StepResults", "Id", "LearnerId", "StepId", "Score", "CompletedAt", "ExternalId", "ReceivedAt");
        var now = ScaleOrganisation.Now.Ticks;
        for (var i = 0; i < results.Length; i++)
        {
            var r = results[i];
            var completed = new DateTime(r.CompletedTicks, DateTimeKind.Utc);

            // Received within minutes, in the sender's next batch.
            var received = new DateTime(Math.Min(now, r.CompletedTicks + (1 + (i * 7919L % 600)) * TimeSpan.TicksPerSecond), DateTimeKind.Utc);
            writer.Write(i + 1L, r.LearnerId, r.StepId, r.Score, Text(completed), ExternalId(i + 1L), Text(received));
        }
    }

    private static void RequireForeignKeysHold(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA foreign_key_check;";
        using var reader = command.ExecuteReader();
        if (reader.Read())
        {
            throw new InvalidOperationException($"The generated rows break a foreign key: a row of {reader.GetString(0)} refers to a missing row of {reader.GetString(2)}.");
        }
    }

    private static void Execute(SqliteConnection connection, SqliteTransaction? transaction, string sql)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
