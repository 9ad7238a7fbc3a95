using System.Globalization;
using Certifications.Core.Certifications;
using Certifications.Core.Progress;
using Certifications.Core.Renewals;
using Certifications.Core.Time;
using Certifications.Tests.Core.Time;
using CsCheck;

namespace Certifications.Tests.Core.Renewals;

/// <summary>
/// The sweep selects an assignment only once its stored next transition has come, so that instant must be exact: with
/// the facts unchanged, nothing the rules say moves before it, and nothing ever moves when there is none.
/// </summary>
public sealed class NextTransitionProperties
{
    private const int Iterations = 3_000;
    private static readonly DateTime Origin = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    private static readonly CourseRequirement Course = new(1, "Course", [new StepRequirement(10, "Quiz", true), new StepRequirement(11, "Test", true)]);

    public sealed record Scenario(CertificationTerms Terms, AssignmentFacts Facts, IReadOnlyList<ResultFact> Results, DateTime Now, OrganisationCalendar Calendar)
    {
        public override string ToString() =>
            $"effective {Terms.EffectiveFrom:O}, due {Terms.DueDate:O}, renewal {(Terms.Renewal is { } r ? $"{r.PeriodMonths}m window {r.WindowDays}d {r.Anchor}" : "none")}, " +
            $"assigned {Facts.AssignedAt:o} withdrawn {Facts.WithdrawnAt:o}, now {Now:o}, zone {Calendar.TimeZone.Id}, " +
            $"results [{string.Join("; ", Results.Select(x => string.Create(CultureInfo.InvariantCulture, $"step {x.StepId} {x.Score} at {x.CompletedAt:o}")))}]";
    }

    private static readonly Gen<RenewalPolicy?> Renewals = Gen.Frequency(
        (1, Gen.Const(() => (RenewalPolicy?)null)),
        (2, from months in Gen.OneOf(1, 3)
            from window in Gen.Int[0, months * 15]
            from anchor in Gen.OneOf(RenewalAnchor.PreviousExpiry, RenewalAnchor.CompletionDate)
            select (RenewalPolicy?)new RenewalPolicy(months, window, anchor)));

    private static readonly Gen<Scenario> Scenarios =
        from effectiveDay in Gen.Int[0, 60]
        from dueDays in Gen.Frequency((1, Gen.Const(() => (int?)null)), (2, Gen.Int[0, 90].Select(d => (int?)d)))
        from renewal in Renewals
        from assignedHour in Gen.Int[0, 24 * 90]
        from nowHour in Gen.Int[0, 24 * 240]
        from withdrawnHour in Gen.Frequency((4, Gen.Const(() => (int?)null)), (1, Gen.Int[0, 24 * 240].Select(h => (int?)h)))
        from results in Gen.Select(Gen.OneOf(10, 11), Gen.Int[5, 20].Select(i => i * 5m), Gen.Int[0, 24 * 240]).Array[0, 12]
        from zone in Gen.OneOf("UTC", "Pacific/Auckland", "America/Los_Angeles")
        let now = Origin.AddHours(nowHour)
        let effective = DateOnly.FromDateTime(Origin).AddDays(effectiveDay)
        select new Scenario(
            new CertificationTerms(effective, renewal is null && dueDays is { } d ? effective.AddDays(d) : null, 70m, renewal, [Course]),
            new AssignmentFacts(Origin.AddHours(assignedHour), 0, withdrawnHour is { } w && Origin.AddHours(w) <= now ? Origin.AddHours(w) : null),

            // Facts known at now: the results sent so far.
            [.. results.Select((r, i) => new ResultFact(i + 1, r.Item1, r.Item2, Origin.AddHours(r.Item3))).Where(r => r.CompletedAt <= now)],
            now,
            TestCalendars.In(zone));

    private static AssignmentStanding At(Scenario scenario, DateTime instant) =>
        AssignmentRules.Evaluate(scenario.Terms, scenario.Facts, scenario.Results, instant, scenario.Calendar);

    private static string Reading(AssignmentStanding standing) =>
        $"{standing.Status} {standing.CoursesSatisfied}/{standing.CoursesRequired} " + string.Join(" | ", standing.Periods.Select(p =>
            string.Create(CultureInfo.InvariantCulture, $"#{p.Number} {p.WindowStart:o} {p.CompletedAt:o} {p.ExpiresAt:o}")));

    [Fact]
    public void NothingTheRulesSayMovesBeforeTheNextTransitionAndNothingEverMovesWithoutOne()
    {
        Scenarios.Sample(scenario =>
        {
            var now = At(scenario, scenario.Now);
            var reading = Reading(now);
            if (now.NextTransitionAt is not { } next)
            {
                return Reading(At(scenario, scenario.Now.AddDays(3 * 365))) == reading
                    && Reading(At(scenario, scenario.Now.AddDays(40))) == reading;
            }

            var span = next - scenario.Now;
            return next > scenario.Now
                && Reading(At(scenario, scenario.Now + span / 3)) == reading
                && Reading(At(scenario, scenario.Now + span * 2 / 3)) == reading
                && Reading(At(scenario, next.AddTicks(-1))) == reading
                && (At(scenario, next).Status != now.Status || Reading(At(scenario, next)) != reading);
        }, iter: Iterations);
    }
}
