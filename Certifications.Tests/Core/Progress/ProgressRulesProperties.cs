using System.Text.Json;
using Certifications.Core.Certifications;
using Certifications.Core.Progress;
using Certifications.Core.Renewals;
using Certifications.Core.Time;
using CsCheck;

namespace Certifications.Tests.Core.Progress;

public sealed class ProgressRulesProperties
{
    private const int Iterations = 10_000;
    private const int StrayStep = 99;
    private static readonly DateTime Origin = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    public sealed record Scenario(IReadOnlyList<CourseRequirement> Courses, decimal Minimum, DateTime WindowStart, ResultFact[] Results)
    {
        public override string ToString() =>
            $"minimum {Minimum}, window {WindowStart:o}, courses [{string.Join("; ", Courses.Select(c => $"{c.CourseId}: {string.Join(",", c.Steps.Select(s => $"{s.StepId}{(s.IsGraded ? "g" : "")}"))}"))}], " +
            $"results [{string.Join("; ", Results.Select(r => $"#{r.Id} step {r.StepId} {r.Score} at {r.CompletedAt:o}"))}]";
    }

    private static readonly Gen<CourseRequirement[]> Courses =
        Gen.Bool.Array[1, 4].Array[1, 3].Select(courses => courses
            .Select((graded, c) => new CourseRequirement(
                c + 1,
                $"Course {c + 1}",
                [.. graded.Select((isGraded, s) => new StepRequirement((c + 1) * 10 + s, $"Step {(c + 1) * 10 + s}", isGraded))]))
            .ToArray());

    // Round scores make ties common; two-decimal scores make means that are not whole numbers.
    private static readonly Gen<decimal> Scores = Gen.OneOf<decimal>(Gen.Int[0, 20].Select(i => i * 5m), Gen.Int[0, 10_000].Select(i => i / 100m));

    // Six-hour slots over 120 days: results often share an instant, and monthly renewals happen.
    private static readonly Gen<DateTime> Instants = Gen.Int[0, 480].Select(slot => Origin.AddHours(6 * slot));

    private static Gen<ResultFact> ResultOn(int[] stepIds, Gen<DateTime> instants) =>
        Gen.Select(Gen.OneOf(stepIds), Scores, instants, (step, score, at) => new ResultFact(0, step, score, at));

    private static readonly Gen<Scenario> Scenarios =
        from courses in Courses
        let steps = courses.SelectMany(c => c.Steps).Select(s => s.StepId).Append(StrayStep).ToArray()
        from results in ResultOn(steps, Instants).Array[0, 25]
        from minimum in Gen.Int[0, 100]
        from windowSlot in Gen.Int[0, 40]
        select new Scenario(
            courses,
            minimum,
            Origin.AddHours(6 * windowSlot),
            [.. results.Select((r, i) => r with { Id = i + 1 })]);

    [Fact]
    public void TheEvaluationDoesNotDependOnTheOrderOfResults()
    {
        var gen = from scenario in Scenarios
                  from shuffled in Gen.Shuffle(scenario.Results.ToArray())
                  select (scenario, shuffled);

        gen.Sample((scenario, shuffled) =>
        {
            var inOrder = ProgressRules.Evaluate(scenario.Courses, scenario.Minimum, scenario.WindowStart, scenario.Results);
            var outOfOrder = ProgressRules.Evaluate(scenario.Courses, scenario.Minimum, scenario.WindowStart, shuffled);

            Assert.Equal(JsonSerializer.Serialize(inOrder), JsonSerializer.Serialize(outOfOrder));
        }, iter: Iterations);
    }

    [Fact]
    public void TheStandingOfARenewingAssignmentDoesNotDependOnTheOrderOfResults()
    {
        var gen = from scenario in Scenarios
                  from shuffled in Gen.Shuffle(scenario.Results.ToArray())
                  from anchor in Gen.OneOf(RenewalAnchor.PreviousExpiry, RenewalAnchor.CompletionDate)
                  from now in Instants
                  select (scenario, shuffled, anchor, now);

        gen.Sample((scenario, shuffled, anchor, now) =>
        {
            var terms = new CertificationTerms(DateOnly.FromDateTime(Origin), null, scenario.Minimum, new RenewalPolicy(1, 15, anchor), scenario.Courses);
            var facts = new AssignmentFacts(scenario.WindowStart, 0, null);

            var inOrder = AssignmentRules.Evaluate(terms, facts, scenario.Results, now, OrganisationCalendar.Utc);
            var outOfOrder = AssignmentRules.Evaluate(terms, facts, shuffled, now, OrganisationCalendar.Utc);

            Assert.Equal(JsonSerializer.Serialize(inOrder), JsonSerializer.Serialize(outOfOrder));
        }, iter: Iterations);
    }

    [Fact]
    public void AddingAResultNeverLowersACourseGradeWithinAWindow()
    {
        var gen = from scenario in Scenarios
                  let steps = scenario.Courses.SelectMany(c => c.Steps).Select(s => s.StepId).ToArray()
                  from extra in ResultOn(steps, Gen.Int[0, 480].Select(slot => scenario.WindowStart.AddHours(6 * slot)))
                  select (scenario, extra with { Id = scenario.Results.Length + 1 });

        gen.Sample((scenario, extra) =>
        {
            var before = ProgressRules.Evaluate(scenario.Courses, scenario.Minimum, scenario.WindowStart, scenario.Results);
            var after = ProgressRules.Evaluate(scenario.Courses, scenario.Minimum, scenario.WindowStart, [.. scenario.Results, extra]);

            foreach (var (was, now) in before.Courses.Zip(after.Courses))
            {
                if (was.Grade is { } grade)
                {
                    Assert.True(now.Grade >= grade, $"course {was.CourseId}: grade {now.Grade} after adding a result, {grade} before");
                }

                if (was.SatisfiedAt is { } satisfiedAt)
                {
                    Assert.True(now.IsSatisfied);
                    Assert.True(now.SatisfiedAt <= satisfiedAt);
                }
            }
        }, iter: Iterations);
    }

    [Fact]
    public void CompletionIsTheFirstInstantAtWhichEveryCourseMeetsTheRules()
    {
        Scenarios.Sample(scenario =>
        {
            var evaluation = ProgressRules.Evaluate(scenario.Courses, scenario.Minimum, scenario.WindowStart, scenario.Results);

            // A deliberately naive account of the rules: recompute everything from the results up to each instant.
            var firstComplete = scenario.Results
                .Select(r => r.CompletedAt)
                .Distinct()
                .Order()
                .Cast<DateTime?>()
                .FirstOrDefault(t => scenario.Courses.All(c => NaivelySatisfied(c, scenario, scenario.Results.Where(r => r.CompletedAt <= t))));
            Assert.Equal(firstComplete, evaluation.CompletedAt);

            foreach (var (course, evaluated) in scenario.Courses.Zip(evaluation.Courses))
            {
                Assert.Equal(NaiveGrade(course, scenario, scenario.Results), evaluated.Grade);
                Assert.Equal(NaivelySatisfied(course, scenario, scenario.Results), evaluated.IsSatisfied);
            }
        }, iter: Iterations);
    }

    private static decimal? NaiveGrade(CourseRequirement course, Scenario scenario, IEnumerable<ResultFact> results)
    {
        var graded = course.Steps.Where(s => s.IsGraded).ToList();
        var inWindow = results.Where(r => r.CompletedAt >= scenario.WindowStart).ToList();
        var bests = graded.Select(s => inWindow.Where(r => r.StepId == s.StepId).Select(r => (decimal?)r.Score).Max()).ToList();
        return bests.All(b => b is null) ? null : bests.Sum(b => b ?? 0m) / graded.Count;
    }

    private static bool NaivelySatisfied(CourseRequirement course, Scenario scenario, IEnumerable<ResultFact> results)
    {
        var graded = course.Steps.Where(s => s.IsGraded).ToList();
        var inWindow = results.Where(r => r.CompletedAt >= scenario.WindowStart).ToList();
        return graded.Count > 0
            && graded.All(s => inWindow.Any(r => r.StepId == s.StepId))
            && NaiveGrade(course, scenario, inWindow) >= scenario.Minimum;
    }
}
