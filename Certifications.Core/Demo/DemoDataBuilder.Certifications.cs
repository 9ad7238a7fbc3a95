using Certifications.Core.Catalog;
using Certifications.Core.Certifications;
using Certifications.Core.Enrollment;
using static Certifications.Core.Demo.DemoCatalog;

namespace Certifications.Core.Demo;

/// <summary>
/// The eight certifications, one per state the portal has to show, with results placed so that the progress rules
/// of the specification give every status: each learner's engagement decides what they did, and each date is chosen
/// at least a day away from the boundary (counting window, renewal window, expiry, due date) it is meant to fall on
/// one side of.
/// </summary>
internal sealed partial class DemoDataBuilder
{
    private readonly Dictionary<(Certification, Learner), Assignment> assignments = [];

    /// <summary>Courses a learner plays because a certification assigned them; played for no other reason.</summary>
    private readonly HashSet<(Learner, Course)> covered = [];

    private enum Outcome
    {
        /// <summary>Completed (one-time) or certified and outside the renewal window (renewing).</summary>
        Complete,

        /// <summary>One-time with a due date: completed after it.</summary>
        CompleteLate,

        /// <summary>Some courses satisfied, not all.</summary>
        Part,
        None,

        /// <summary>Renewing: certified, with the renewal window open and no replay yet.</summary>
        ExpiringSoon,

        /// <summary>Renewing: certified once, then let a period lapse.</summary>
        RenewalDue,
    }

    private void BuildCertifications()
    {
        WorkplaceSafety();
        InformationSecurityAwareness();
        AntiBriberyCompliance();
        ManagerEssentials();
        SalesFundamentals();
        ForkliftOperationLicence();
        FinancialAdvisorBeginner();
        LegacyFireWarden();
    }

    /// <summary>Yearly, seven months old: certified, in progress and not started; Bob's grace period example.</summary>
    private void WorkplaceSafety()
    {
        var effective = today.AddMonths(-7);
        var published = WorkingTime(effective.AddDays(-10));
        var certification = NewCertification(
            "Workplace Safety",
            "The yearly safety refresher for everyone on site: hazards, lifting and first aid.",
            [SafetyIntro, ManualHandling, FirstAid],
            [Warehouse, Facilities],
            published.AddDays(-6));
        certification.EffectiveFrom = effective;
        certification.GraceDays = 14;
        SetRenewal(certification, months: 12, windowDays: 30);
        certification.MinimumPassingGrade = 70;
        Publish(certification, published);

        AssignTargetedGroups(certification);
        // Head Office's new safety representatives, enrolled by hand.
        foreach (var representative in Pick(people.Where(p => IsIn(p, HeadOffice) && !IsAssigned(certification, p)), 3))
        {
            Assign(certification, representative, AssignmentSourceKind.Individual, null, WorkingTime(AdminDay(today.AddDays(-150), today.AddDays(-45))));
        }

        // Enrolled by hand as well as through the warehouse: one assignment, two sources.
        var both = Pick(people.Where(p => IsIn(p, Warehouse) && p != Bob), 1)[0];
        Assign(certification, both, AssignmentSourceKind.Individual, null, WorkingTime(AdminDay(effective.AddDays(20), today.AddDays(-60))));

        var included = Included(certification);
        foreach (var (person, assignment) in AssignmentsOf(certification))
        {
            if (person == Bob)
            {
                PlayBob(assignment, included, certification.MinimumPassingGrade);
                continue;
            }

            var startDay = calendar.DateOf(CountingStart(certification, assignment));
            var longBefore = startDay.AddDays(-60);
            if (person.Engagement != Engagement.Idle && longBefore >= today.AddDays(-240)
                && person.Memberships.Exists(m => calendar.DateOf(m.JoinedAt) < longBefore))
            {
                // Played long before the grace period (only the representatives were in a group then): the
                // explanation shows it as not counted.
                PlayCourses(person, [included[0]], longBefore, startDay.AddDays(-25), Attempt.Pass, certification.MinimumPassingGrade);
            }

            var outcome = Choose(person, thorough: (0.9, 0.1), partial: (0.25, 0.6));
            // Some results fall in the grace period, before the assignment or Effective From, and still count.
            var from = random.NextDouble() < 0.15 ? startDay.AddDays(-10) : startDay.AddDays(1);
            PlayOneTime(person, included, outcome, from, today, certification.MinimumPassingGrade);
        }
    }

    /// <summary>
    /// The help article's example: Bob's best Safety 101 grade from five days before his assignment counts with this
    /// certification's 14-day grace period (with none he would have to play it again).
    /// </summary>
    private void PlayBob(Assignment assignment, List<Course> included, decimal minimum)
    {
        var assignedOn = calendar.DateOf(assignment.AssignedAt);
        var at = At(assignedOn.AddDays(-5), 13 * 60, 14 * 60);
        foreach (var step in courses[SafetyIntro].Steps.OrderBy(s => s.Position))
        {
            at = at.AddMinutes(random.Next(8, 15));
            if (!step.IsGraded)
            {
                Record(Bob, step, 100m, at);
            }
            else if (step.Title == "Final assessment")
            {
                Record(Bob, step, 72.5m, at);
                at = at.AddMinutes(25);
                Record(Bob, step, 88m, at);
            }
            else
            {
                Record(Bob, step, 91.5m, at);
            }
        }

        PlayCourses(Bob, [.. included.Where(c => c.Title != SafetyIntro)], assignedOn.AddDays(2), assignedOn.AddDays(25), Attempt.Pass, minimum);
    }

    /// <summary>
    /// Monthly with a seven-day window, five months old, for all of Head Office and IT (most of IT sits in Head Office,
    /// so their one assignment has two sources): certified, expiring soon, renewal due, in progress and not started.
    /// </summary>
    private void InformationSecurityAwareness()
    {
        var effective = today.AddMonths(-5);
        var published = WorkingTime(effective.AddDays(-7));
        var certification = NewCertification(
            "Information Security Awareness",
            "A short monthly check that everyone with a company laptop can spot phishing and keeps data safe.",
            [InformationSecurity, Phishing],
            [HeadOffice, ItSecurity],
            published.AddDays(-3));
        certification.EffectiveFrom = effective;
        certification.GraceDays = 0;
        SetRenewal(certification, months: 1, windowDays: 7);
        certification.MinimumPassingGrade = 80;
        Publish(certification, published);

        AssignTargetedGroups(certification);
        var included = Included(certification);
        foreach (var (person, assignment) in AssignmentsOf(certification))
        {
            var roll = random.NextDouble();
            var outcome = person.Engagement switch
            {
                Engagement.Thorough => roll switch { < 0.6 => Outcome.Complete, < 0.8 => Outcome.ExpiringSoon, _ => Outcome.RenewalDue },
                Engagement.Partial => roll switch { < 0.3 => Outcome.RenewalDue, < 0.4 => Outcome.ExpiringSoon, < 0.8 => Outcome.Part, _ => Outcome.None },
                _ => Outcome.None,
            };
            var first = calendar.DateOf(CountingStart(certification, assignment)).AddDays(1);
            if (outcome is Outcome.Part or Outcome.None || !PlayMonthly(person, included, first, outcome, certification.MinimumPassingGrade))
            {
                PlayOneTime(person, included, outcome == Outcome.None ? Outcome.None : Outcome.Part, first, today, certification.MinimumPassingGrade);
            }
        }
    }

    /// <summary>
    /// A first completion on a day D, then a renewal inside every renewal window that should not lapse. With the
    /// previous-expiry anchor the n-th expiry is D + n months, so D alone decides where today falls in the cycle: it
    /// is drawn among the days that give the wanted outcome. Days after the 27th are left out so that no month-end
    /// clamping, in any time zone, moves an expiry across a boundary.
    /// </summary>
    private bool PlayMonthly(Person person, List<Course> included, DateOnly first, Outcome outcome, decimal minimum)
    {
        var candidates = new List<(DateOnly Day, int Periods)>();
        for (var day = first; day < today; day = day.AddDays(1))
        {
            if (day.Day > 27)
            {
                continue;
            }

            var current = 1;
            while (day.AddMonths(current) <= today)
            {
                current++;
            }

            var daysToExpiry = day.AddMonths(current).DayNumber - today.DayNumber;
            switch (outcome)
            {
                case Outcome.Complete when daysToExpiry is >= 9 and <= 25:
                case Outcome.ExpiringSoon when daysToExpiry is >= 2 and <= 5:
                    candidates.Add((day, current));
                    break;
                case Outcome.RenewalDue:
                    for (var lapsed = 1; lapsed < current; lapsed++)
                    {
                        if (today.DayNumber - day.AddMonths(lapsed).DayNumber is >= 3 and <= 40)
                        {
                            candidates.Add((day, lapsed));
                        }
                    }

                    break;
                default:
                    break;
            }
        }

        if (candidates.Count == 0)
        {
            return false;
        }

        var (completedOn, periods) = candidates[random.Next(candidates.Count)];
        var earlier = PickDays(Later(first, completedOn.AddDays(-6)), completedOn.AddDays(-1), included.Count - 1)
            ?? [.. Enumerable.Repeat(completedOn, included.Count - 1)];
        PlaySittings(person, included, [.. earlier, completedOn], Attempt.Pass, minimum);
        for (var renewal = 1; renewal < periods; renewal++)
        {
            var expiry = completedOn.AddMonths(renewal);
            PlayCourses(person, included, expiry.AddDays(-5), expiry.AddDays(-2), Attempt.Pass, minimum);
        }

        return true;
    }

    /// <summary>One-time, due three weeks ago: completed on time, completed late, overdue.</summary>
    private void AntiBriberyCompliance()
    {
        var effective = today.AddMonths(-3);
        var due = today.AddDays(-21);
        var published = WorkingTime(effective.AddDays(-3));
        var certification = NewCertification(
            $"Anti-Bribery Compliance {due.Year}",
            "This year's anti-bribery attestation for everyone who deals with customers, suppliers or money.",
            [AntiBribery, GiftsAndHospitality, CodeOfConduct],
            [SalesEmea, SalesAmericas, Finance],
            published.AddDays(-5));
        certification.EffectiveFrom = effective;
        certification.DueDate = due;
        certification.GraceDays = 30;
        certification.MinimumPassingGrade = 75;
        Publish(certification, published);

        AssignTargetedGroups(certification);
        // Wealth Advisors cannot be targeted (they lack Gifts and Hospitality), so two are enrolled by hand.
        foreach (var advisor in Pick(people.Where(p => IsIn(p, WealthAdvisors) && !IsAssigned(certification, p)), 2))
        {
            Assign(certification, advisor, AssignmentSourceKind.Individual, null, WorkingTime(AdminDay(effective.AddDays(3), due.AddDays(-30))));
        }

        var included = Included(certification);
        foreach (var (person, assignment) in AssignmentsOf(certification))
        {
            var startDay = calendar.DateOf(CountingStart(certification, assignment));
            var roll = random.NextDouble();
            var outcome = person.Engagement switch
            {
                Engagement.Thorough => roll switch { < 0.8 => Outcome.Complete, < 0.95 => Outcome.CompleteLate, _ => Outcome.Part },
                Engagement.Partial => roll switch { < 0.2 => Outcome.Complete, < 0.5 => Outcome.CompleteLate, < 0.85 => Outcome.Part, _ => Outcome.None },
                _ => Outcome.None,
            };
            // Some results fall inside the grace period, before the assignment.
            var from = random.NextDouble() < 0.2 ? startDay.AddDays(-20) : startDay.AddDays(1);
            if (outcome == Outcome.Complete && PlayCourses(person, included, from, due.AddDays(-1), Attempt.Pass, certification.MinimumPassingGrade) is not null)
            {
                continue;
            }

            // Those assigned too close to the due date to make it finish late instead.
            if (outcome is Outcome.Complete or Outcome.CompleteLate)
            {
                PlayOneTime(person, included, Outcome.Complete, Later(due.AddDays(1), startDay.AddDays(1)), today, certification.MinimumPassingGrade);
            }
            else
            {
                PlayOneTime(person, included, outcome, startDay.AddDays(1), today, certification.MinimumPassingGrade);
            }
        }
    }

    /// <summary>One-time and invisible to learners: managers are tracked without knowing.</summary>
    private void ManagerEssentials()
    {
        var effective = today.AddMonths(-4);
        var published = WorkingTime(effective.AddDays(-1));
        var certification = NewCertification(
            "Manager Essentials",
            "What every people manager should know. Tracked quietly to plan the leadership programme.",
            [LeadingYourTeam, GivingFeedback, PerformanceReviews],
            [Managers],
            published.AddDays(-2));
        certification.IsInvisible = true;
        certification.EffectiveFrom = effective;
        certification.MinimumPassingGrade = 70;
        Publish(certification, published);

        AssignTargetedGroups(certification);
        foreach (var partner in Pick(people.Where(p => IsIn(p, HumanResources) && !IsAssigned(certification, p)), 1))
        {
            Assign(certification, partner, AssignmentSourceKind.Individual, null, WorkingTime(AdminDay(effective.AddDays(10), today.AddDays(-30))));
        }

        PlayOneTimeForAll(certification, thorough: (0.8, 0.2), partial: (0.25, 0.5));
    }

    /// <summary>Open to anyone (no target groups): a few started it themselves, a few were enrolled by hand.</summary>
    private void SalesFundamentals()
    {
        var effective = today.AddMonths(-6);
        var published = WorkingTime(effective.AddDays(-2));
        var certification = NewCertification(
            "Sales 101",
            "The sales basics: the pipeline, negotiation and keeping the CRM honest. Open to anyone curious about sales.",
            [SalesIntro, Negotiation, Crm],
            [],
            published.AddDays(-4));
        certification.EffectiveFrom = effective;
        certification.GraceDays = 7;
        certification.MinimumPassingGrade = 70;
        Publish(certification, published);

        foreach (var person in Pick(people.Where(p => p != Bob && (IsIn(p, CustomerSupport) || IsIn(p, SalesAmericas))), 4))
        {
            Assign(certification, person, AssignmentSourceKind.Individual, null, WorkingTime(AdminDay(effective.AddDays(5), today.AddDays(-10))));
        }

        foreach (var person in Pick(people.Where(p => p != Bob && p.Engagement != Engagement.Idle && !IsAssigned(certification, p)), 6))
        {
            Assign(certification, person, AssignmentSourceKind.SelfStarted, null, WorkingTime(AdminDay(effective.AddDays(5), today.AddDays(-10))));
        }

        PlayOneTimeForAll(certification, thorough: (0.7, 0.3), partial: (0.2, 0.5));
    }

    /// <summary>Published, effective in two weeks: everyone is scheduled; keen drivers have already played.</summary>
    private void ForkliftOperationLicence()
    {
        var published = WorkingTime(today.AddDays(-3));
        var certification = NewCertification(
            "Forklift Operation Licence",
            "The yearly licence to drive a forklift on our sites: theory test and practical assessment.",
            [Forklift, PedestrianSafety],
            [Warehouse],
            published.AddDays(-8));
        certification.EffectiveFrom = today.AddDays(14);
        certification.GraceDays = 30;
        SetRenewal(certification, months: 12, windowDays: 30);
        certification.MinimumPassingGrade = 80;
        Publish(certification, published);

        AssignTargetedGroups(certification);
        foreach (var (person, _) in AssignmentsOf(certification))
        {
            if (random.NextDouble() < 0.4 && person.Engagement == Engagement.Thorough)
            {
                PlayCourses(person, [courses[Forklift]], today.AddDays(-12), today, Attempt.Pass, certification.MinimumPassingGrade);
            }
        }
    }

    /// <summary>A draft being prepared for the advisors: assigns no one.</summary>
    private void FinancialAdvisorBeginner()
    {
        var certification = NewCertification(
            FinancialAdvisor,
            "The first certification of the advice track. Draft: waiting for compliance to approve the assessments.",
            [FinancialAdvisor, KnowYourCustomer, AntiMoneyLaundering],
            [WealthAdvisors],
            WorkingTime(today.AddDays(-12)));
        certification.UpdatedAt = WorkingTime(today.AddDays(-2));
        certification.EffectiveFrom = new DateOnly(today.Year, today.Month, 1).AddMonths(1);
        SetRenewal(certification, months: 12, windowDays: 30);
        certification.MinimumPassingGrade = 80;
    }

    /// <summary>Retired a month ago: those who completed it keep it, everyone else was withdrawn.</summary>
    private void LegacyFireWarden()
    {
        var effective = today.AddMonths(-8);
        var published = WorkingTime(effective.AddDays(-2));
        var retired = WorkingTime(today.AddDays(-30));
        var certification = NewCertification(
            "Legacy Fire Warden",
            "The old fire warden certification, replaced by the fire section of Workplace Safety.",
            [FireWarden, Evacuation],
            [Facilities],
            published.AddDays(-3));
        certification.EffectiveFrom = effective;
        certification.MinimumPassingGrade = 70;
        Publish(certification, published);
        certification.State = CertificationState.Retired;
        certification.RetiredAt = retired;
        certification.UpdatedAt = retired;

        AssignTargetedGroups(certification, before: retired);
        var included = Included(certification);
        foreach (var (person, assignment) in AssignmentsOf(certification))
        {
            var startDay = calendar.DateOf(CountingStart(certification, assignment));
            var outcome = Choose(person, thorough: (0.8, 0.2), partial: (0.3, 0.4));
            if (PlayOneTime(person, included, outcome, startDay.AddDays(1), calendar.DateOf(retired).AddDays(-1), certification.MinimumPassingGrade) is null)
            {
                assignment.WithdrawnAt = retired;
            }
        }
    }

    private void PlayOneTimeForAll(Certification certification, (double Complete, double Part) thorough, (double Complete, double Part) partial)
    {
        var included = Included(certification);
        foreach (var (person, assignment) in AssignmentsOf(certification))
        {
            var outcome = Choose(person, thorough, partial);
            var startDay = calendar.DateOf(CountingStart(certification, assignment));
            PlayOneTime(person, included, outcome, startDay.AddDays(1), today, certification.MinimumPassingGrade);
        }
    }

    /// <summary>
    /// Complete: every course passed. Part: at least one course passed and at least one not, sometimes with a
    /// failed or unfinished go at the next. Returns the completion, or null when not completed.
    /// </summary>
    private DateTime? PlayOneTime(Person person, List<Course> included, Outcome outcome, DateOnly from, DateOnly to, decimal minimum)
    {
        if (outcome == Outcome.Complete && PlayCourses(person, included, from, to, Attempt.Pass, minimum) is { } completedAt)
        {
            return completedAt;
        }

        if (outcome is Outcome.None || included.Count < 2)
        {
            return null;
        }

        var passed = random.Next(1, included.Count);
        if (PlayCourses(person, [.. included.Take(passed)], from, to, Attempt.Pass, minimum) is not null && random.NextDouble() < 0.5)
        {
            PlayCourses(person, [included[passed]], from, to, random.NextDouble() < 0.5 ? Attempt.Fail : Attempt.Partial, minimum);
        }

        return null;
    }

    private Outcome Choose(Person person, (double Complete, double Part) thorough, (double Complete, double Part) partial)
    {
        var (complete, part) = person.Engagement switch
        {
            Engagement.Thorough => thorough,
            Engagement.Partial => partial,
            _ => (0, 0),
        };
        var roll = random.NextDouble();
        return roll < complete ? Outcome.Complete : roll < complete + part ? Outcome.Part : Outcome.None;
    }

    private Certification NewCertification(string name, string description, string[] courseTitles, string[] targetGroups, DateTime createdAt)
    {
        var certification = new Certification
        {
            Name = name,
            NormalizedName = name.Trim().ToUpperInvariant(),
            Description = description,
            Version = NextGuid(),
            CreatedAt = createdAt,
            UpdatedAt = createdAt,
            Courses = [.. courseTitles.Select((title, index) => new CertificationCourse { Course = courses[title], Position = index + 1 })],
            TargetGroups = [.. targetGroups.Select(group => new CertificationGroup { Group = groups[group] })],
        };
        data.Certifications.Add(certification);
        return certification;
    }

    private static void SetRenewal(Certification certification, int months, int windowDays)
    {
        certification.RenewalRequired = true;
        certification.RenewalPeriodMonths = months;
        certification.RenewalWindowDays = windowDays;
        certification.RenewalAnchor = RenewalAnchor.PreviousExpiry;
    }

    private static void Publish(Certification certification, DateTime at)
    {
        certification.State = CertificationState.Published;
        certification.PublishedAt = at;
        certification.UpdatedAt = at;
    }

    /// <summary>
    /// What publishing does: every member of a targeted group is assigned, once, with one source per targeted group
    /// they are in, from the later of the publication and their joining. A retired certification assigns no one who
    /// joined after its retirement.
    /// </summary>
    private void AssignTargetedGroups(Certification certification, DateTime? before = null)
    {
        var publishedAt = certification.PublishedAt ?? throw new InvalidOperationException("Only a published certification assigns.");
        foreach (var person in people)
        {
            foreach (var target in certification.TargetGroups)
            {
                var membership = person.Memberships.Find(m => m.Group == target.Group);
                if (membership is not null && (before is null || membership.JoinedAt < before))
                {
                    Assign(certification, person, AssignmentSourceKind.Group, target.Group, Later(publishedAt, membership.JoinedAt));
                }
            }
        }
    }

    private void Assign(Certification certification, Person person, AssignmentSourceKind kind, Group? group, DateTime addedAt)
    {
        if (!assignments.TryGetValue((certification, person.Learner), out var assignment))
        {
            assignment = new Assignment
            {
                Certification = certification,
                Learner = person.Learner,
                AssignedAt = addedAt,
                StatusChangedAt = addedAt,
                GraceDays = certification.GraceDays,
                CoursesRequired = certification.Courses.Count,
            };
            assignments.Add((certification, person.Learner), assignment);
            data.Assignments.Add(assignment);
            foreach (var included in certification.Courses)
            {
                covered.Add((person.Learner, included.Course!));
            }
        }
        else if (addedAt < assignment.AssignedAt)
        {
            assignment.AssignedAt = addedAt;
            assignment.StatusChangedAt = addedAt;
        }

        assignment.Sources.Add(new AssignmentSource { Kind = kind, Group = group, AddedAt = addedAt });
    }

    private List<(Person Person, Assignment Assignment)> AssignmentsOf(Certification certification) =>
        data.Assignments.Where(a => a.Certification == certification).Select(a => (personOf[a.Learner!], a)).ToList();

    private bool IsAssigned(Certification certification, Person person) => assignments.ContainsKey((certification, person.Learner));

    private static bool IsIn(Person person, string group) => person.Memberships.Exists(m => m.Group!.Name == group);

    private static List<Course> Included(Certification certification) =>
        [.. certification.Courses.OrderBy(c => c.Position).Select(c => c.Course!)];

    /// <summary>The later of the assignment and the start of Effective From, as the progress rules count it.</summary>
    private DateTime CountingStart(Certification certification, Assignment assignment) =>
        Later(assignment.AssignedAt, calendar.StartOfDay(certification.EffectiveFrom));

    /// <summary>A day for an admin's action; the last day of the range when it is empty.</summary>
    private DateOnly AdminDay(DateOnly from, DateOnly to) => PickDay(from, to) ?? to;

    private List<Person> Pick(IEnumerable<Person> pool, int count)
    {
        var candidates = pool.ToList();
        var picked = new List<Person>(count);
        while (picked.Count < count && candidates.Count > 0)
        {
            var index = random.Next(candidates.Count);
            picked.Add(candidates[index]);
            candidates.RemoveAt(index);
        }

        return picked;
    }

    /// <summary>
    /// Courses of a learner's groups that no certification assigned them, played according to their engagement;
    /// plus the trigger course every new hire gets on their first day.
    /// </summary>
    private void PlayOtherCourses()
    {
        var newHires = groups[NewHires(today.Year)];
        foreach (var person in people)
        {
            if (person.Engagement == Engagement.Idle)
            {
                continue;
            }

            if (person.Memberships.Find(m => m.Group == newHires) is { } hired)
            {
                PlayCourse(person, courses[WelcomeAboard], hired.JoinedAt.AddMinutes(random.Next(30, 90)), Attempt.Pass, 70);
            }

            var offered = person.Memberships
                .SelectMany(m => m.Group!.Courses.Select(gc => (Course: gc.Course!, m.JoinedAt)))
                .GroupBy(o => o.Course)
                .Select(g => (Course: g.Key, Since: g.Min(o => o.JoinedAt)))
                .ToList();
            foreach (var (course, since) in offered)
            {
                if (!course.IsPublished || covered.Contains((person.Learner, course)))
                {
                    continue;
                }

                var roll = random.NextDouble();
                Attempt? attempt = person.Engagement == Engagement.Thorough
                    ? roll switch { < 0.75 => Attempt.Pass, < 0.85 => Attempt.Partial, _ => null }
                    : roll switch { < 0.3 => Attempt.Pass, < 0.4 => Attempt.Partial, < 0.5 => Attempt.Fail, _ => null };
                if (attempt is { } played && PickDay(Later(calendar.DateOf(since).AddDays(1), today.AddDays(-240)), today) is { } day)
                {
                    PlayCourse(person, course, WorkingTime(day), played, 70);
                }
            }
        }
    }
}
