using Certifications.Core.Catalog;
using Certifications.Core.Time;

namespace Certifications.Core.Demo;

/// <summary>
/// Builds the demo data set for one instant. Every date is counted back from that instant's day and every choice
/// comes from one fixed-seed generator consumed in a fixed order, so the same instant always gives the same data.
/// </summary>
internal sealed partial class DemoDataBuilder
{
    public const int Seed = 2026;
    public const string BobEmail = "bob@example.com";

    private readonly Random random = new(Seed);
    private readonly OrganisationCalendar calendar;
    private readonly DateOnly today;

    // Nobody plays today: every result lands before the day began, hence before now whatever the time of day.
    private readonly DateTime resultsCutOff;
    private readonly DemoData data = new();
    private readonly Dictionary<string, Course> courses = [];
    private readonly Dictionary<string, Group> groups = [];
    private readonly List<Person> people = [];
    private readonly Dictionary<Learner, Person> personOf = [];
    private Person? bob;

    public DemoDataBuilder(DateTime now, OrganisationCalendar calendar)
    {
        this.calendar = calendar;
        today = calendar.DateOf(now);
        resultsCutOff = calendar.StartOfDay(today);
    }

    private enum Engagement
    {
        Thorough,
        Partial,
        Idle,
    }

    private Person Bob => bob ?? throw new InvalidOperationException("Bob is created with the people.");

    public DemoData Build()
    {
        BuildCourses();
        BuildGroups();
        BuildPeople();
        BuildCertifications();
        PlayOtherCourses();
        NumberResults();
        return data;
    }

    private void BuildCourses()
    {
        foreach (var spec in DemoCatalog.Courses)
        {
            var course = new Course
            {
                Title = spec.Title,
                IsPublished = spec.Published,
                IsTrigger = spec.Trigger,
                Version = NextGuid(),
                Steps = [.. spec.Steps.Split('|').Select((title, index) => new Step
                {
                    Title = title.TrimStart('*'),
                    Position = index + 1,
                    IsGraded = title.StartsWith('*'),
                })],
            };
            courses.Add(course.Title, course);
            data.Courses.Add(course);
        }
    }

    private void BuildGroups()
    {
        foreach (var spec in DemoCatalog.Groups(today.Year))
        {
            var group = new Group
            {
                Name = spec.Name,
                Version = NextGuid(),
                Courses = [.. spec.Courses.Select(title => new GroupCourse { Course = courses[title] })],
            };
            groups.Add(group.Name, group);
            data.Groups.Add(group);
        }
    }

    /// <summary>
    /// Five senior managers (one managing director over four directors), 25 line managers each leading a team of 10
    /// to 15 in one department, 270 team members. Most joined long ago; about one in seven is a recent hire.
    /// </summary>
    private void BuildPeople()
    {
        var names = UniqueNames(DemoCatalog.Teams.Count + 5 + 269);
        var nextName = 0;
        Person NewPerson((string First, string Last) name, Learner? manager) =>
            AddPerson($"{name.First} {name.Last}", EmailOf(name.First, name.Last), manager, DrawEngagement());

        var seniors = new List<Person>();
        for (var i = 0; i < 5; i++)
        {
            var senior = NewPerson(names[nextName++], i == 0 ? null : seniors[0].Learner);
            var joined = HireInstant(established: true);
            Join(senior, groups[DemoCatalog.Managers], joined);
            Join(senior, groups[DemoCatalog.HeadOffice], joined);
            seniors.Add(senior);
        }

        var teamSizes = TeamSizes(DemoCatalog.Teams.Count, total: 270, smallest: 10, largest: 15);
        for (var t = 0; t < DemoCatalog.Teams.Count; t++)
        {
            var (department, office) = DemoCatalog.Teams[t];
            var manager = NewPerson(names[nextName++], seniors[1 + (t % 4)].Learner);
            var hired = HireInstant(established: true);
            Join(manager, groups[department], hired);
            // Some were promoted lately, so Manager Essentials reaches them after it was published.
            Join(manager, groups[DemoCatalog.Managers], random.NextDouble() < 0.2 ? WorkingTime(today.AddDays(-random.Next(20, 100))) : hired);
            if (office)
            {
                Join(manager, groups[DemoCatalog.HeadOffice], hired);
            }

            for (var m = 0; m < teamSizes[t]; m++)
            {
                if (bob is null && department == DemoCatalog.Warehouse)
                {
                    AddBob(manager.Learner);
                    continue;
                }

                var member = NewPerson(names[nextName++], manager.Learner);
                var newHire = random.NextDouble() < 0.15;
                var joined = HireInstant(established: !newHire);
                if (newHire)
                {
                    Join(member, groups[DemoCatalog.NewHires(today.Year)], joined);
                    joined = joined.AddDays(random.Next(0, 4));
                }

                Join(member, groups[department], joined);
                if (office && random.NextDouble() < 0.85)
                {
                    Join(member, groups[DemoCatalog.HeadOffice], joined);
                }
            }
        }
    }

    /// <summary>
    /// The help article's Bob: a new hire who played Safety 101 in his induction week, then joined the warehouse
    /// five days later, which assigned him Workplace Safety.
    /// </summary>
    private void AddBob(Learner manager)
    {
        bob = AddPerson("Bob Safety", BobEmail, manager, Engagement.Thorough);
        var hired = At(today.AddDays(-67), 9 * 60, 9 * 60 + 30);
        Join(bob, groups[DemoCatalog.NewHires(today.Year)], hired);
        Join(bob, groups[DemoCatalog.Warehouse], At(today.AddDays(-60), 9 * 60, 9 * 60 + 30));
    }

    private Person AddPerson(string name, string email, Learner? manager, Engagement engagement)
    {
        var learner = new Learner
        {
            Name = name,
            Email = email,
            NormalizedEmail = email.ToUpperInvariant(),
            Manager = manager,
            Version = NextGuid(),
        };
        var person = new Person(learner, engagement);
        data.Learners.Add(learner);
        people.Add(person);
        personOf.Add(learner, person);
        return person;
    }

    private void Join(Person person, Group group, DateTime joinedAt)
    {
        var membership = new GroupMember { Group = group, Learner = person.Learner, JoinedAt = joinedAt };
        person.Memberships.Add(membership);
        data.Memberships.Add(membership);
    }

    private Engagement DrawEngagement() => random.NextDouble() switch
    {
        < 0.45 => Engagement.Thorough,
        < 0.80 => Engagement.Partial,
        _ => Engagement.Idle,
    };

    private DateTime HireInstant(bool established) =>
        At(today.AddDays(established ? -random.Next(270, 900) : -random.Next(8, 150)), 8 * 60 + 30, 10 * 60);

    private List<(string First, string Last)> UniqueNames(int count)
    {
        var seen = new HashSet<(string, string)>();
        var names = new List<(string First, string Last)>(count);
        while (names.Count < count)
        {
            var name = (DemoCatalog.FirstNames[random.Next(DemoCatalog.FirstNames.Count)], DemoCatalog.LastNames[random.Next(DemoCatalog.LastNames.Count)]);
            if (seen.Add(name))
            {
                names.Add(name);
            }
        }

        return names;
    }

    private static string EmailOf(string first, string last)
    {
        static string Part(string name) => new([.. name.Where(char.IsAsciiLetter).Select(char.ToLowerInvariant)]);
        return $"{Part(first)}.{Part(last)}@example.com";
    }

    private int[] TeamSizes(int teams, int total, int smallest, int largest)
    {
        var sizes = Enumerable.Repeat(smallest, teams).ToArray();
        for (var extra = total - (smallest * teams); extra > 0;)
        {
            var t = random.Next(teams);
            if (sizes[t] < largest)
            {
                sizes[t]++;
                extra--;
            }
        }

        return sizes;
    }

    private void NumberResults()
    {
        // Ids follow time, as they would from a real sender.
        var ordered = data.Results.OrderBy(r => r.CompletedAt).ToList();
        for (var i = 0; i < ordered.Count; i++)
        {
            ordered[i].ExternalId = $"demo-{i + 1:D6}";
        }

        data.Results.Clear();
        data.Results.AddRange(ordered);
    }

    private Guid NextGuid()
    {
        Span<byte> bytes = stackalloc byte[16];
        random.NextBytes(bytes);
        bytes[7] = (byte)((bytes[7] & 0x0F) | 0x40);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes);
    }

    private sealed class Person(Learner learner, Engagement engagement)
    {
        public Learner Learner { get; } = learner;
        public Engagement Engagement { get; } = engagement;
        public List<GroupMember> Memberships { get; } = [];
    }
}
