using Certifications.Bench.Catalog;

namespace Certifications.Bench.Scale;

/// <summary>
/// A large organisation in memory, before it is written: the catalogue, learners with their managers, groups with
/// their members and courses, the certifications with the groups they target, and who holds which certification
/// through what. Built from one seeded <see cref="Random"/>: the same size gives the same organisation every time.
/// </summary>
internal sealed class ScaleOrganisation
{
    /// <summary>The instant the data set describes: the portal's clock while the scenario runs.</summary>
    public static readonly DateTime Now = new(2026, 11, 27, 12, 0, 0, DateTimeKind.Utc);

    /// <summary>The earliest certifications start here: results spread over the eighteen months since.</summary>
    public static readonly DateTime HistoryStart = new(2025, 5, 1, 0, 0, 0, DateTimeKind.Utc);

    private static readonly DateTime HiredBefore = new(2025, 1, 6, 0, 0, 0, DateTimeKind.Utc);

    private ScaleOrganisation(ScaleSize size) => Size = size;

    public ScaleSize Size { get; }

    public List<ScaleCourse> Courses { get; } = [];

    /// <summary>Learner ids are 1..Learners; index 0 unused.</summary>
    public int?[] Managers { get; private set; } = [];

    public List<string> GroupNames { get; } = [];

    public List<ScaleMembership> Memberships { get; } = [];

    /// <summary>Each group's courses: those of the certifications targeting it, and a few more.</summary>
    public List<SortedSet<int>> GroupCourses { get; } = [];

    public List<ScaleCertification> Certifications { get; } = [];

    public List<ScaleAssignment> Assignments { get; } = [];

    public static ScaleOrganisation Build(ScaleSize size, Random random)
    {
        var organisation = new ScaleOrganisation(size);
        organisation.BuildCourses(random);
        organisation.BuildLearners(random);
        var members = organisation.BuildGroups(random);
        organisation.BuildCertifications(random);
        organisation.BuildAssignments(random, members);
        return organisation;
    }

    private void BuildCourses(Random random)
    {
        var titles = new HashSet<string>(StringComparer.Ordinal);
        var subjects = new WeightedChoice(CatalogWords.Subjects, exponent: 0.6);
        var stepId = 0;
        for (var id = 1; id <= Size.Courses; id++)
        {
            var title = string.Join(' ', new[]
            {
                random.NextDouble() < 0.3 ? CatalogWords.Openings[random.Next(CatalogWords.Openings.Count)] : null,
                subjects.Pick(random),
                random.NextDouble() < 0.3 ? CatalogWords.Audiences[random.Next(CatalogWords.Audiences.Count)] : null,
            }.OfType<string>());
            for (var edition = 2; !titles.Add(title); edition++)
            {
                title = $"{title.Split(" v")[0]} v{edition}";
            }

            // Two to five steps, mostly graded (quizzes, assessments); the first is often a video or reading.
            var count = random.Next(2, 6);
            var steps = new int[count];
            var graded = new bool[count];
            for (var i = 0; i < count; i++)
            {
                steps[i] = ++stepId;
                graded[i] = random.NextDouble() < (i == 0 ? 0.45 : 0.85);
            }

            if (!graded.Contains(true) && random.NextDouble() < 0.9)
            {
                graded[^1] = true;
            }

            Courses.Add(new ScaleCourse(id, title, IsPublished: random.NextDouble() >= 0.04, IsTrigger: random.NextDouble() < 0.02, steps, graded));
        }
    }

    /// <summary>A reporting line three levels deep: a head, senior managers, managers, everyone else.</summary>
    private void BuildLearners(Random random)
    {
        var learners = Size.Learners;
        Managers = new int?[learners + 1];
        var seniors = Math.Max(2, learners / 200);
        var managers = Math.Max(seniors + 2, learners / 12);
        for (var id = 2; id <= learners; id++)
        {
            Managers[id] = id <= seniors + 1 ? 1
                : id <= managers ? random.Next(2, seniors + 2)
                : random.Next(seniors + 2, managers + 1);
        }
    }

    /// <summary>Groups of very different sizes (a site's whole staff, a small team); everyone in one to three.</summary>
    private List<int>[] BuildGroups(Random random)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var id = 1; id <= Size.Groups; id++)
        {
            var name = $"{CatalogWords.Departments[random.Next(CatalogWords.Departments.Count)]} {CatalogWords.Sites[random.Next(CatalogWords.Sites.Count)]} {CatalogWords.Teams[random.Next(CatalogWords.Teams.Count)]}".TrimEnd();
            for (var n = 2; !names.Add(name); n++)
            {
                name = $"{name.Split(" #")[0]} #{n}";
            }

            GroupNames.Add(name);
            GroupCourses.Add([]);
        }

        // Group ids shuffled before the skew, so that the large groups are not the first ids.
        var order = Enumerable.Range(1, Size.Groups).ToArray();
        random.Shuffle(order);
        var pick = new SkewedPick(Size.Groups, exponent: 0.5);
        var members = Enumerable.Range(0, Size.Groups + 1).Select(_ => new List<int>()).ToArray();
        var groupsOfLearner = new HashSet<int>();
        for (var learner = 1; learner <= Size.Learners; learner++)
        {
            groupsOfLearner.Clear();
            var count = Draw.Weighted(random, (1, 0.35), (2, 0.45), (3, 0.2));
            while (groupsOfLearner.Count < count)
            {
                groupsOfLearner.Add(order[pick.Next(random)]);
            }

            foreach (var group in groupsOfLearner)
            {
                // Most were there before the first certification; some joined since.
                var joined = random.NextDouble() < 0.85 ? Draw.Between(random, HiredBefore.AddYears(-3), HiredBefore) : Draw.Between(random, HistoryStart, Now.AddDays(-1));
                Memberships.Add(new ScaleMembership(group, learner, joined));
                members[group].Add(learner);
            }
        }

        return members;
    }

    private void BuildCertifications(Random random)
    {
        var offered = Courses.Where(c => c.IsOffered).Select(c => c.Id).ToArray();
        random.Shuffle(offered);

        // Some courses (fire safety, the code of conduct) are part of many certifications.
        var popular = new SkewedPick(offered.Length, exponent: 0.7);
        var names = new HashSet<string>(StringComparer.Ordinal);
        string[] kinds = ["Certification", "Programme", "Compliance", "Annual", "Licence", "Induction", "Essentials", "Pathway"];
        for (var id = 1; id <= Size.Certifications; id++)
        {
            int? months = random.NextDouble() < 0.4 ? Draw.Weighted(random, (1, 0.05), (3, 0.2), (6, 0.3), (12, 0.45)) : null;
            var courseCount = months == 1 ? 3 : random.Next(3, 11);
            var courses = new List<int>();
            while (courses.Count < Math.Min(courseCount, offered.Length))
            {
                var course = offered[popular.Next(random)];
                if (!courses.Contains(course))
                {
                    courses.Add(course);
                }
            }

            var name = $"{Courses[courses[0] - 1].Title.Split(" v")[0]} {kinds[random.Next(kinds.Length)]}";
            for (var n = 2; !names.Add(name.ToUpperInvariant()); n++)
            {
                name = $"{name.Split(" (")[0]} ({n})";
            }

            // Most started over the last eighteen months; the last few (the smallest) start after now: scheduled.
            var effective = id > Size.Certifications - Math.Max(1, Size.Certifications * 3 / 100)
                ? DateOnly.FromDateTime(Now).AddDays(random.Next(5, 90))
                : DateOnly.FromDateTime(HistoryStart).AddDays(random.Next(0, (int)(Now - HistoryStart).TotalDays - 30));
            var published = Draw.Seconds(Min(effective.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc).AddDays(-random.Next(0, 30)).AddHours(9 + random.Next(8)), Now.AddDays(-1)));
            DateOnly? due = months is null && random.NextDouble() < 0.5 ? effective.AddDays(random.Next(30, 181)) : null;
            Certifications.Add(new ScaleCertification(
                id,
                name,
                [.. courses],
                effective,
                due,
                GraceDays: Draw.Weighted(random, (0, 0.4), (7, 0.2), (14, 0.2), (30, 0.2)),
                months,
                RenewalWindowDays: months is { } m ? Math.Min(30, m * 30 / 2 - 1) : 30,
                RenewalAnchor: random.NextDouble() < 0.85 ? "PreviousExpiry" : "CompletionDate",
                MinimumPassingGrade: Draw.Weighted(random, (60m, 0.2), (70m, 0.4), (75m, 0.2), (80m, 0.2)),
                IsInvisible: random.NextDouble() < 0.03,
                published));
        }
    }

    /// <summary>
    /// Assignment counts per certification are skewed (a company-wide compliance certification, a team's licence). Each
    /// targets whole groups up to about four fifths of its count; the rest hold it individually (or started it
    /// themselves when it targets no group). Every member of a targeted group holds it, as the enrolment keeps it.
    /// </summary>
    private void BuildAssignments(Random random, List<int>[] members)
    {
        var counts = Shares(Size.Assignments, Size.Certifications, Size.Learners * 9 / 10);
        var joined = Memberships.ToDictionary(m => (m.GroupId, m.LearnerId), m => m.JoinedAt);
        var groupOrder = Enumerable.Range(1, Size.Groups).ToArray();
        var id = 0;
        foreach (var certification in Certifications)
        {
            var count = counts[certification.Id - 1];
            var held = new Dictionary<int, List<int>>();
            if (random.NextDouble() >= 0.05)
            {
                random.Shuffle(groupOrder);
                foreach (var group in groupOrder)
                {
                    var newcomers = members[group].Count(l => !held.ContainsKey(l));
                    if (newcomers == 0 || held.Count + newcomers > count)
                    {
                        continue;
                    }

                    certification.TargetGroups.Add(group);
                    GroupCourses[group - 1].UnionWith(certification.Courses);
                    foreach (var learner in members[group])
                    {
                        (held.TryGetValue(learner, out var groups) ? groups : held[learner] = []).Add(group);
                    }

                    if (held.Count >= count * 4 / 5)
                    {
                        break;
                    }
                }
            }

            var individually = new HashSet<int>();
            while (held.Count + individually.Count < count)
            {
                var learner = random.Next(1, Size.Learners + 1);
                if (!held.ContainsKey(learner))
                {
                    individually.Add(learner);
                }
            }

            var publishedAt = certification.PublishedAt;
            foreach (var (learner, groups) in held.OrderBy(h => h.Key))
            {
                // Reached when the certification was published, or when they joined a targeted group later.
                var assignedAt = Max(publishedAt, groups.Min(g => joined[(g, learner)]));
                Assignments.Add(new ScaleAssignment(++id, certification.Id, learner, assignedAt, ScaleSourceKind.Group, [.. groups.Order()], null));
            }

            foreach (var learner in individually.Order())
            {
                var assignedAt = Draw.Between(random, publishedAt, Now.AddHours(-1));
                var kind = certification.IsOpen && random.NextDouble() < 0.7 ? ScaleSourceKind.SelfStarted : ScaleSourceKind.Individual;

                // One in twenty added individually was removed again: withdrawn, no source left.
                DateTime? withdrawn = random.NextDouble() < 0.05 ? Draw.Between(random, assignedAt, Now.AddMinutes(-1)) : null;
                Assignments.Add(new ScaleAssignment(++id, certification.Id, learner, assignedAt, kind, [], withdrawn));
            }
        }

        // Groups are also assigned courses no certification needs.
        var offered = Courses.Where(c => c.IsOffered).Select(c => c.Id).ToArray();
        foreach (var courses in GroupCourses)
        {
            for (var i = random.Next(1, 6); i > 0; i--)
            {
                courses.Add(offered[random.Next(offered.Length)]);
            }
        }
    }

    /// <summary>Splits a total into skewed shares, none above the cap, none below one.</summary>
    private static int[] Shares(int total, int parts, int cap)
    {
        var weights = Enumerable.Range(1, parts).Select(rank => 1 / Math.Pow(rank, 0.8)).ToArray();
        var shares = new int[parts];
        var left = total;
        var weightLeft = weights.Sum();
        for (var i = 0; i < parts; i++)
        {
            shares[i] = Math.Clamp((int)Math.Round(left * weights[i] / weightLeft), 1, Math.Min(cap, left - (parts - i - 1)));
            left -= shares[i];
            weightLeft -= weights[i];
        }

        shares[^1] += left;
        return shares;
    }

    private static DateTime Max(DateTime a, DateTime b) => a > b ? a : b;

    private static DateTime Min(DateTime a, DateTime b) => a < b ? a : b;
}
