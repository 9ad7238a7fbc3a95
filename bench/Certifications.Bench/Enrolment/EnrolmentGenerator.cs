using System.Globalization;
using Certifications.Bench.Catalog;
using Microsoft.Data.Sqlite;

namespace Certifications.Bench.Enrolment;

/// <summary>
/// What was generated: the certification to publish, the group whose membership changes, who joins it, and the counts
/// printed beside the figures.
/// </summary>
internal sealed record EnrolmentData(
    int CertificationId,
    Guid DraftVersion,
    IReadOnlyList<int> TargetedGroupIds,
    int TargetedLearners,
    int TargetedMemberships,
    int ChangingGroupId,
    IReadOnlyList<int> Joiners,
    int JoinersAlreadyAssigned,
    int Learners,
    int Groups,
    int GroupMembers,
    int Courses,
    int Steps,
    int StepResults,
    int OtherCertifications)
{
    public string Describe() =>
        $"{Learners:N0} learners, {Groups:N0} groups, {GroupMembers:N0} group memberships, {Courses:N0} courses, {Steps:N0} steps, " +
        $"{StepResults:N0} step results; {OtherCertifications} other published certifications (their assignments already there)";
}

/// <summary>
/// A large organisation about to publish a certification to its warehouse and logistics staff: 60,000 learners,
/// 50,000 of them in the six groups it targets, one in ten of those in two of them (two group sources, one
/// assignment). The same data for the same seed every time; rows go in through prepared INSERTs in one transaction.
/// </summary>
internal static class EnrolmentGenerator
{
    public const int Seed = 20_261_129;

    private const int LearnerCount = 60_000;
    private const int TargetedLearnerCount = 50_000;
    private const int InTwoTargetedGroups = 5_000;
    private const int JoinersNew = 4_000;
    private const int JoinersAlreadyAssigned = 1_000;

    private static readonly DateTime HiredFrom = new(2024, 1, 8, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>Targeted groups and their share of the 50,000; the first is the one learners join and leave.</summary>
    private static readonly (string Name, double Share)[] TargetedGroups =
    [
        ("Warehouse London", 0.30), ("Warehouse Lyon", 0.20), ("Warehouse Berlin", 0.15),
        ("Logistics Madrid", 0.15), ("Logistics Milan", 0.10), ("Drivers EMEA", 0.10),
    ];

    private static readonly string[] OtherGroups =
    [
        "Sales EMEA", "Sales Americas", "Finance London", "Finance Paris", "IT Berlin", "IT Bangalore", "Customer Support Dublin",
        "Customer Support Manila", "Marketing Paris", "Human Resources London", "Legal London", "Procurement Milan",
        "Engineering Munich", "Retail Store Managers",
    ];

    /// <summary>The certification includes the first three; every group is assigned the fourth and fifth.</summary>
    private static readonly (string Title, int Steps, int Graded)[] Courses =
    [
        ("Warehouse Safety Induction", 5, 2), ("Manual Handling", 4, 1), ("Forklift Operation", 6, 3), ("Fire Safety", 3, 1),
        ("Code of Conduct", 3, 1), ("First Aid", 5, 2), ("Data Protection", 4, 1), ("Hazardous Substances", 4, 2),
    ];

    public static EnrolmentData Generate(string connectionString)
    {
        var random = new Random(Seed);
        using var connection = new SqliteConnection(connectionString);
        connection.Open();
        using var transaction = connection.BeginTransaction();

        var gradedSteps = WriteCourses(connection, transaction, random, out var steps);
        var groupCount = WriteGroups(connection, transaction, random);
        WriteLearners(connection, transaction, random);

        // Learner ids shuffled, so that a group's members are spread over the id range as years of hiring spread them.
        var learners = Enumerable.Range(1, LearnerCount).ToArray();
        random.Shuffle(learners);
        var targeted = learners[..TargetedLearnerCount];
        var outside = learners[TargetedLearnerCount..];
        var members = new HashSet<(int Group, int Learner)>();
        var primary = new Dictionary<int, int>();
        var cumulative = 0d;
        var start = 0;
        for (var g = 0; g < TargetedGroups.Length; g++)
        {
            cumulative += TargetedGroups[g].Share;
            var end = g == TargetedGroups.Length - 1 ? targeted.Length : (int)Math.Round(cumulative * targeted.Length);
            foreach (var learner in targeted[start..end])
            {
                members.Add((g + 1, learner));
                primary[learner] = g + 1;
            }

            start = end;
        }

        foreach (var learner in targeted.OrderBy(_ => random.Next()).Take(InTwoTargetedGroups))
        {
            int second;
            do
            {
                second = random.Next(1, TargetedGroups.Length + 1);
            }
            while (second == primary[learner]);
            members.Add((second, learner));
        }

        var targetedMemberships = members.Count;

        // Everyone is also in zero to two other groups; the 10,000 outside the targeted groups in one at least.
        foreach (var learner in learners)
        {
            var count = random.Next(primary.ContainsKey(learner) ? 0 : 1, 3);
            for (var i = 0; i < count; i++)
            {
                members.Add((TargetedGroups.Length + 1 + random.Next(OtherGroups.Length), learner));
            }
        }

        using (var writer = new RowWriter(connection, transaction,
            """INSERT INTO "GroupMembers" ("GroupId", "LearnerId", "JoinedAt") VALUES ($p0, $p1, $p2)"""))
        {
            foreach (var (group, learner) in members.OrderBy(m => m.Group).ThenBy(m => m.Learner))
            {
                writer.Write(group, learner, Text(HiredFrom.AddDays(random.Next(700))));
            }
        }

        var results = WriteStepResults(connection, transaction, random, targeted, gradedSteps);

        // Two certifications already published to the other groups (one of them also to a targeted group), with
        // their assignments: the tables the publish writes into are not empty.
        WriteCertification(connection, transaction, 1, "Fire Safety Annual", "Published", CatalogGenerator.NextGuid(random), [4], [2, .. Enumerable.Range(7, 7)]);
        WriteCertification(connection, transaction, 2, "Code of Conduct 2026", "Published", CatalogGenerator.NextGuid(random), [5], [.. Enumerable.Range(14, 7)]);
        var draftVersion = new Guid("0BE7C0DE-2026-4129-8000-000000000001");
        WriteCertification(connection, transaction, 3, "Warehouse Safety 2027", "Draft", draftVersion.ToString().ToUpperInvariant(), [1, 2, 3], [.. Enumerable.Range(1, TargetedGroups.Length)]);
        transaction.Commit();

        var joiners = outside.Where(l => !members.Contains((1, l))).Take(JoinersNew)
            .Concat(targeted.Where(l => !members.Contains((1, l))).Take(JoinersAlreadyAssigned))
            .Order()
            .ToList();
        return new EnrolmentData(
            CertificationId: 3,
            draftVersion,
            [.. Enumerable.Range(1, TargetedGroups.Length)],
            TargetedLearnerCount,
            targetedMemberships,
            ChangingGroupId: 1,
            joiners,
            JoinersAlreadyAssigned,
            LearnerCount,
            groupCount,
            members.Count,
            Courses.Length,
            steps,
            results,
            OtherCertifications: 2);
    }

    /// <summary>As EF Core writes a <see cref="DateTime"/> into SQLite.</summary>
    public static string Text(DateTime instant) => instant.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture);

    private static List<int>[] WriteCourses(SqliteConnection connection, SqliteTransaction transaction, Random random, out int stepCount)
    {
        using var courses = new RowWriter(connection, transaction,
            """INSERT INTO "Courses" ("Id", "Title", "IsPublished", "IsTrigger", "Version") VALUES ($p0, $p1, 1, 0, $p2)""");
        using var steps = new RowWriter(connection, transaction,
            """INSERT INTO "Steps" ("Id", "CourseId", "Title", "Position", "IsGraded") VALUES ($p0, $p1, $p2, $p3, $p4)""");
        var graded = new List<int>[Courses.Length];
        stepCount = 0;
        for (var c = 0; c < Courses.Length; c++)
        {
            courses.Write(c + 1, Courses[c].Title, CatalogGenerator.NextGuid(random));
            graded[c] = [];
            for (var position = 1; position <= Courses[c].Steps; position++)
            {
                // The graded steps come last: the quizzes and the final assessment.
                var isGraded = position > Courses[c].Steps - Courses[c].Graded;
                steps.Write(++stepCount, c + 1, $"{Courses[c].Title}: {(isGraded ? "assessment" : "module")} {position}", position, isGraded);
                if (isGraded)
                {
                    graded[c].Add(stepCount);
                }
            }
        }

        return graded;
    }

    private static int WriteGroups(SqliteConnection connection, SqliteTransaction transaction, Random random)
    {
        using var groups = new RowWriter(connection, transaction,
            """INSERT INTO "Groups" ("Id", "Name", "Version") VALUES ($p0, $p1, $p2)""");
        using var courses = new RowWriter(connection, transaction,
            """INSERT INTO "GroupCourses" ("GroupId", "CourseId") VALUES ($p0, $p1)""");
        var names = TargetedGroups.Select(g => g.Name).Concat(OtherGroups).ToList();
        for (var id = 1; id <= names.Count; id++)
        {
            groups.Write(id, names[id - 1], CatalogGenerator.NextGuid(random));
            var assigned = id <= TargetedGroups.Length ? new SortedSet<int> { 1, 2, 3, 4, 5 } : [4, 5];
            assigned.Add(random.Next(6, Courses.Length + 1));
            foreach (var course in assigned)
            {
                courses.Write(id, course);
            }
        }

        return names.Count;
    }

    private static void WriteLearners(SqliteConnection connection, SqliteTransaction transaction, Random random)
    {
        using var learners = new RowWriter(connection, transaction,
            """INSERT INTO "Learners" ("Id", "Name", "Email", "NormalizedEmail", "Version") VALUES ($p0, $p1, $p2, $p3, $p4)""");
        for (var id = 1; id <= LearnerCount; id++)
        {
            var first = CatalogWords.FirstNames[random.Next(CatalogWords.FirstNames.Count)];
            var last = CatalogWords.LastNames[random.Next(CatalogWords.LastNames.Count)];
            var email = $"{first}.{last}.{id}@example.com".ToLowerInvariant();
            learners.Write(id, $"{first} {last}", email, email.ToUpperInvariant(), CatalogGenerator.NextGuid(random));
        }
    }

    /// <summary>One targeted learner in five already took some of the assessments (a pilot): the recompute after a publish has grades to read.</summary>
    private static int WriteStepResults(SqliteConnection connection, SqliteTransaction transaction, Random random, int[] targeted, List<int>[] gradedSteps)
    {
        int[] included = [.. gradedSteps.Take(3).SelectMany(s => s)];
        var pilotStart = new DateTime(2026, 10, 1, 8, 0, 0, DateTimeKind.Utc);
        using var results = new RowWriter(connection, transaction,
            """
            INSERT INTO "StepResults" ("LearnerId", "StepId", "Score", "CompletedAt", "ExternalId", "ReceivedAt")
            VALUES ($p0, $p1, $p2, $p3, $p4, $p3)
            """);
        var count = 0;
        foreach (var learner in targeted.Where((_, i) => i % 5 == 0))
        {
            var attempts = random.Next(1, 4);
            for (var i = 0; i < attempts; i++)
            {
                var completed = pilotStart.AddMinutes(random.Next(50 * 24 * 60));
                results.Write(learner, included[random.Next(included.Length)], Math.Round(40 + random.NextDouble() * 60, 1), Text(completed),
                    string.Create(CultureInfo.InvariantCulture, $"pilot-{learner}-{i}"));
                count++;
            }
        }

        return count;
    }

    private static void WriteCertification(
        SqliteConnection connection, SqliteTransaction transaction, int id, string name, string state, string version, int[] courses, int[] groups)
    {
        var created = new DateTime(2026, 9, 14, 10, 0, 0, DateTimeKind.Utc);
        using (var certification = new RowWriter(connection, transaction,
            """
            INSERT INTO "Certifications" ("Id", "Name", "NormalizedName", "IsInvisible", "EffectiveFrom", "GraceDays", "RenewalRequired",
                "RenewalPeriodMonths", "RenewalWindowDays", "RenewalAnchor", "MinimumPassingGrade", "State", "Version", "CreatedAt", "UpdatedAt", "PublishedAt")
            VALUES ($p0, $p1, $p2, 0, '2026-11-01', 14, 1, 12, 30, 'PreviousExpiry', 70.0, $p3, $p4, $p5, $p5, $p6)
            """))
        {
            certification.Write(id, name, name.ToUpperInvariant(), state, version, Text(created),
                state == "Published" ? Text(created) : DBNull.Value);
        }

        using (var included = new RowWriter(connection, transaction,
            """INSERT INTO "CertificationCourses" ("CertificationId", "CourseId", "Position") VALUES ($p0, $p1, $p2)"""))
        {
            for (var position = 0; position < courses.Length; position++)
            {
                included.Write(id, courses[position], position);
            }
        }

        using var targets = new RowWriter(connection, transaction,
            """INSERT INTO "CertificationGroups" ("CertificationId", "GroupId") VALUES ($p0, $p1)""");
        foreach (var group in groups)
        {
            targets.Write(id, group);
        }
    }
}
