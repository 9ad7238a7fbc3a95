using Microsoft.Data.Sqlite;

namespace Certifications.Bench.Catalog;

/// <summary>How large a catalog to generate.</summary>
internal sealed record CatalogSize(int Courses, int Groups, int Learners)
{
    /// <summary>A large organisation's catalogue: what the wizard's searches must stay quick on.</summary>
    public static CatalogSize Large { get; } = new(50_000, 10_000, 20_000);
}

/// <summary>What was generated: the counts printed beside the figures, and the courses most groups are assigned.</summary>
internal sealed record GeneratedCatalog(
    int Courses, int OfferedCourses, int Steps, int Groups, int GroupCourses, int Learners, int GroupMembers, IReadOnlyList<int> MandatoryCourseIds)
{
    public string Describe() =>
        $"{Courses:N0} courses ({OfferedCourses:N0} published non-trigger), {Steps:N0} steps, {Groups:N0} groups, " +
        $"{GroupCourses:N0} group courses, {Learners:N0} learners, {GroupMembers:N0} group memberships";
}

/// <summary>
/// Writes a catalog into a migrated database, the same one for the same size every time (fixed seed). Rows go in
/// through prepared INSERTs in one transaction: how fast this is is not what is measured.
/// </summary>
internal static class CatalogGenerator
{
    public const int Seed = 20_261_128;

    /// <summary>How many courses most groups are assigned, as a company's mandatory training is.</summary>
    private const int MandatoryCourses = 30;

    private static readonly DateTime JoinedAt = new(2025, 1, 6, 0, 0, 0, DateTimeKind.Utc);

    public static GeneratedCatalog Generate(string connectionString, CatalogSize size)
    {
        var random = new Random(Seed);
        using var connection = new SqliteConnection(connectionString);
        connection.Open();
        using (var transaction = connection.BeginTransaction())
        {
            var (offered, steps) = WriteCourses(connection, transaction, random, size.Courses);
            var mandatory = offered.OrderBy(_ => random.Next()).Take(MandatoryCourses).ToList();
            var groupCourses = WriteGroups(connection, transaction, random, size, mandatory);
            var members = WriteLearners(connection, transaction, random, size);
            transaction.Commit();
            Checkpoint(connection);
            return new GeneratedCatalog(size.Courses, offered.Count, steps, size.Groups, groupCourses, size.Learners, members, mandatory);
        }
    }

    private static (List<int> Offered, int Steps) WriteCourses(SqliteConnection connection, SqliteTransaction transaction, Random random, int count)
    {
        var subjects = new WeightedChoice(CatalogWords.Subjects, exponent: 0.9);
        var rareSubjects = new WeightedChoice(CatalogWords.RareSubjects, exponent: 0);
        var editionsOf = new Dictionary<string, int>(StringComparer.Ordinal);
        var offered = new List<int>();
        var stepCount = 0;
        using var courses = new RowWriter(connection, transaction,
            """INSERT INTO "Courses" ("Id", "Title", "IsPublished", "IsTrigger", "Version") VALUES ($p0, $p1, $p2, $p3, $p4)""");
        using var steps = new RowWriter(connection, transaction,
            """INSERT INTO "Steps" ("CourseId", "Title", "Position", "IsGraded") VALUES ($p0, $p1, $p2, $p3)""");
        for (var id = 1; id <= count; id++)
        {
            var subject = random.NextDouble() < 0.001 ? rareSubjects.Pick(random) : subjects.Pick(random);
            var title = UniqueTitle(editionsOf, string.Join(' ', new[]
            {
                random.NextDouble() < 0.35 ? CatalogWords.Openings[random.Next(CatalogWords.Openings.Count)] : null,
                subject,
                random.NextDouble() < 0.35 ? CatalogWords.Audiences[random.Next(CatalogWords.Audiences.Count)] : null,
                random.NextDouble() < 0.7 ? CatalogWords.Editions[random.Next(CatalogWords.Editions.Count)] : null,
            }.OfType<string>()));
            var published = random.NextDouble() >= 0.05;
            var trigger = random.NextDouble() < 0.02;
            courses.Write(id, title, published, trigger, NextGuid(random));
            if (published && !trigger)
            {
                offered.Add(id);
            }

            var stepsOfCourse = random.Next(1, 7);
            for (var position = 1; position <= stepsOfCourse; position++)
            {
                var kind = CatalogWords.StepKinds[random.Next(CatalogWords.StepKinds.Count)];
                var graded = kind.Contains("quiz", StringComparison.Ordinal) || kind.Contains("assessment", StringComparison.Ordinal)
                    || kind.Contains("check", StringComparison.Ordinal) || kind is "Case study" or "Scenario" or "Simulation";
                steps.Write(id, $"{kind} {position}", position, graded);
            }

            stepCount += stepsOfCourse;
        }

        return (offered, stepCount);
    }

    /// <summary>Catalogues tell same-titled courses apart by a version; the searches then have one order to agree on.</summary>
    private static string UniqueTitle(Dictionary<string, int> editionsOf, string title)
    {
        if (!editionsOf.TryGetValue(title, out var editions))
        {
            editionsOf[title] = 1;
            return title;
        }

        editionsOf[title] = editions + 1;
        return $"{title} v{editions + 1}";
    }

    private static int WriteGroups(SqliteConnection connection, SqliteTransaction transaction, Random random, CatalogSize size, List<int> mandatory)
    {
        var departments = new WeightedChoice(CatalogWords.Departments, exponent: 0.8);
        var sites = new WeightedChoice(CatalogWords.Sites, exponent: 0.8);
        var teams = new WeightedChoice(CatalogWords.Teams, exponent: 0.5);
        var names = new HashSet<string>(StringComparer.Ordinal);
        var assigned = new HashSet<int>();
        var groupCourses = 0;
        using var groups = new RowWriter(connection, transaction,
            """INSERT INTO "Groups" ("Id", "Name", "Version") VALUES ($p0, $p1, $p2)""");
        using var courses = new RowWriter(connection, transaction,
            """INSERT INTO "GroupCourses" ("GroupId", "CourseId") VALUES ($p0, $p1)""");
        for (var id = 1; id <= size.Groups; id++)
        {
            string name;
            var attempt = 0;
            do
            {
                name = $"{departments.Pick(random)} {sites.Pick(random)} {teams.Pick(random)}".TrimEnd();
                if (++attempt > 50)
                {
                    name = $"{name} {id}";
                }
            }
            while (!names.Add(name));

            groups.Write(id, name, NextGuid(random));
            assigned.Clear();
            var count = random.Next(3, 31);
            while (assigned.Count < count)
            {
                assigned.Add(random.NextDouble() < 0.5 ? mandatory[random.Next(mandatory.Count)] : random.Next(1, size.Courses + 1));
            }

            foreach (var courseId in assigned)
            {
                courses.Write(id, courseId);
            }

            groupCourses += count;
        }

        return groupCourses;
    }

    private static int WriteLearners(SqliteConnection connection, SqliteTransaction transaction, Random random, CatalogSize size)
    {
        var groupsOfLearner = new HashSet<int>();
        var memberships = 0;
        using var learners = new RowWriter(connection, transaction,
            """INSERT INTO "Learners" ("Id", "Name", "Email", "NormalizedEmail", "Version") VALUES ($p0, $p1, $p2, $p3, $p4)""");
        using var members = new RowWriter(connection, transaction,
            """INSERT INTO "GroupMembers" ("GroupId", "LearnerId", "JoinedAt") VALUES ($p0, $p1, $p2)""");
        for (var id = 1; id <= size.Learners; id++)
        {
            var first = CatalogWords.FirstNames[random.Next(CatalogWords.FirstNames.Count)];
            var last = CatalogWords.LastNames[random.Next(CatalogWords.LastNames.Count)];
            var email = $"{first}.{last}.{id}@example.com".ToLowerInvariant();
            learners.Write(id, $"{first} {last}", email, email.ToUpperInvariant(), NextGuid(random));
            groupsOfLearner.Clear();
            var count = random.Next(1, 4);
            while (groupsOfLearner.Count < count)
            {
                groupsOfLearner.Add(random.Next(1, size.Groups + 1));
            }

            foreach (var groupId in groupsOfLearner)
            {
                members.Write(groupId, id, JoinedAt.ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture));
            }

            memberships += count;
        }

        return memberships;
    }

    /// <summary>As EF Core stores a Guid in SQLite: upper-case text.</summary>
    public static string NextGuid(Random random)
    {
        Span<byte> bytes = stackalloc byte[16];
        random.NextBytes(bytes);
        return new Guid(bytes).ToString().ToUpperInvariant();
    }

    /// <summary>Folds the write-ahead log into the file, as the portal's automatic checkpoints would have by now.</summary>
    public static void Checkpoint(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA wal_checkpoint(TRUNCATE);";
        command.ExecuteNonQuery();
    }
}
