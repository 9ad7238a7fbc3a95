using System.Globalization;
using Certifications.Core.Certifications;
using Certifications.Core.Progress;
using Certifications.Core.Renewals;
using Certifications.Core.Time;
using CsCheck;

namespace Certifications.Tests.Core.Progress;

/// <summary>
/// Results reach the portal in batches, late and out of order, and each batch records the periods it completes. The
/// recorded history must end where recording everything at once ends.
/// </summary>
public sealed class AssignmentHistoryProperties
{
    private const int Iterations = 5_000;
    private static readonly DateTime Origin = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    public sealed record Scenario(CertificationTerms Terms, AssignmentFacts Facts, DateTime Now, IReadOnlyList<IReadOnlyList<ResultFact>> Batches)
    {
        public override string ToString() =>
            $"minimum {Terms.MinimumPassingGrade}, renewal {(Terms.Renewal is { } r ? $"{r.PeriodMonths}m window {r.WindowDays}d {r.Anchor}" : "none")}, " +
            $"assigned {Facts.AssignedAt:o} grace {Facts.GraceDays}, now {Now:o}, " +
            $"courses [{string.Join("; ", Terms.Courses.Select(c => $"{c.CourseId}: {string.Join(",", c.Steps.Select(s => $"{s.StepId}{(s.IsGraded ? "g" : "")}"))}"))}], " +
            $"batches [{string.Join(" | ", Batches.Select(b => string.Join("; ", b.Select(x => $"#{x.Id} step {x.StepId} {x.Score} at {x.CompletedAt:o}"))))}]";
    }

    private static readonly Gen<CourseRequirement[]> Courses =
        Gen.Frequency((4, Gen.Const(true)), (1, Gen.Const(false))).Array[1, 3].Array[1, 3].Select(courses => courses
            .Select((graded, c) => new CourseRequirement(
                c + 1,
                $"Course {c + 1}",
                [.. graded.Select((isGraded, s) => new StepRequirement((c + 1) * 10 + s, $"Step {(c + 1) * 10 + s}", isGraded))]))
            .ToArray());

    // Round scores make ties common; two-decimal scores make means that are not whole numbers.
    private static readonly Gen<decimal> Scores = Gen.OneOf<decimal>(Gen.Int[0, 20].Select(i => i * 5m), Gen.Int[0, 10_000].Select(i => i / 100m));

    private static readonly Gen<RenewalPolicy?> Renewals = Gen.Frequency(
        (1, Gen.Const(() => (RenewalPolicy?)null)),
        (2, from months in Gen.OneOf(1, 3)
            from window in Gen.Int[0, months * 15]
            from anchor in Gen.OneOf(RenewalAnchor.PreviousExpiry, RenewalAnchor.CompletionDate)
            select (RenewalPolicy?)new RenewalPolicy(months, window, anchor)));

    private static readonly Gen<Scenario> Scenarios =
        from courses in Courses
        let steps = courses.SelectMany(c => c.Steps).Select(s => s.StepId).ToArray()
        from minimum in Gen.Int[0, 10].Select(i => i * 10m)
        from renewal in Renewals
        from assignedSlot in Gen.Int[0, 200]
        from grace in Gen.Int[0, 10]

        // Six-hour slots over 240 days: results often share an instant, and monthly renewals come round several times.
        from results in Gen.Select(Gen.OneOf(steps), Scores, Gen.Int[0, 960], Gen.Int[0, 3]).Array[0, 30]
        select new Scenario(
            new CertificationTerms(DateOnly.FromDateTime(Origin), null, minimum, renewal, courses),
            new AssignmentFacts(Origin.AddHours(6 * assignedSlot), grace, null),
            Origin.AddDays(245),
            [.. Enumerable.Range(0, 4).Select(batch => (IReadOnlyList<ResultFact>)[.. results
                .Select((r, i) => (Fact: new ResultFact(i + 1, r.Item1, r.Item2, Origin.AddHours(6 * r.Item3)), Batch: r.Item4))
                .Where(r => r.Batch == batch)
                .Select(r => r.Fact)])]);

    [Fact]
    public void PeriodsRecordedAsResultsArriveInAnyOrderEndWhereRecordingThemAllAtOnceEnds()
    {
        Scenarios.Sample(scenario =>
        {
            IReadOnlyList<ComputedPeriod>? history = null;
            var arrived = new List<ResultFact>();
            foreach (var batch in scenario.Batches)
            {
                arrived.AddRange(batch);
                history = [.. Evaluate(scenario, arrived, history).Periods.Where(p => p.CompletedAt is not null)];
            }

            var incremental = Evaluate(scenario, arrived, history);
            var atOnce = Evaluate(scenario, arrived, history: null);

            Assert.Equal(Describe(atOnce), Describe(incremental));
        }, iter: Iterations);
    }

    /// <summary>
    /// The sweep's evaluation: the assignment was last evaluated at some instant, and since then only the clock moved.
    /// Evaluated later from its latest recorded period on, with only the results from there, it agrees with the
    /// evaluation over every result in status, periods and next transition, and in progress too when its current window
    /// opens there or later; or it says it needs the earlier results. Most of the time it does not.
    /// </summary>
    [Fact]
    public void EvaluatingFromTheLatestRecordedPeriodAgreesWithEveryResultOrSaysItNeedsThem()
    {
        var fromLatest = 0;
        var currentBefore = 0;
        var needingEarlier = 0;
        Scenarios.Select(Gen.Int[0, 960], Gen.Int[1, 400]).Sample((scenario, lastSlot, hoursLater) =>
        {
            var lastEvaluated = Origin.AddHours(6 * lastSlot);
            var now = lastEvaluated.AddHours(6 * hoursLater);
            var known = scenario.Batches.SelectMany(b => b).Where(r => r.CompletedAt <= lastEvaluated).ToList();
            var stored = AssignmentRules.Evaluate(scenario.Terms, scenario.Facts, known, lastEvaluated, OrganisationCalendar.Utc);
            var history = stored.Periods.Where(p => p.CompletedAt is not null).ToList();
            if (stored.Periods.Count == 0)
            {
                return;
            }

            var latest = stored.Periods[^1];
            var from = latest.CompletedAt ?? latest.WindowStart;
            var everyResult = AssignmentRules.Evaluate(scenario.Terms, scenario.Facts, known, now, OrganisationCalendar.Utc, history);
            var someResults = AssignmentRules.Evaluate(
                scenario.Terms, scenario.Facts, known.Where(r => r.CompletedAt >= from), now, OrganisationCalendar.Utc, history, completions: null, resultsFrom: from);
            if (someResults.NeedsEarlierResults)
            {
                Interlocked.Increment(ref needingEarlier);
                return;
            }

            Interlocked.Increment(ref fromLatest);
            Assert.Equal(everyResult.Status, someResults.Status);
            Assert.Equal(everyResult.NextTransitionAt, someResults.NextTransitionAt);
            Assert.Equal(DescribePeriods(everyResult), DescribePeriods(someResults));
            if (someResults.Current.WindowStart >= from)
            {
                Assert.Equal(Describe(everyResult), Describe(someResults));
            }
            else
            {
                Interlocked.Increment(ref currentBefore);
            }
        }, iter: Iterations);

        Assert.True(fromLatest > Iterations / 4, $"{fromLatest} of {Iterations} evaluated from the latest period, {needingEarlier} needing earlier results");
        Assert.True(currentBefore > 0 && currentBefore < fromLatest, $"{currentBefore} of {fromLatest} ended in a window opening before the results read");
    }

    /// <summary>
    /// Ingestion's evaluation: the assignment was last evaluated at some instant, then a batch of results arrived, some
    /// of them late (completed before that instant). When each new result completes after the latest recorded period's
    /// window opened, evaluating with only the results from there agrees with the evaluation over every result in
    /// everything, progress included, or says it needs the earlier results. A batch with a result at or before that
    /// instant is evaluated over every result instead (not checked here).
    /// </summary>
    [Fact]
    public void NewResultsAfterTheLatestRecordedPeriodNeedOnlyTheResultsFromIt()
    {
        var fromLatest = 0;
        var late = 0;
        Scenarios.Select(Gen.Int[0, 960], Gen.Int[1, 400]).Sample((scenario, lastSlot, hoursLater) =>
        {
            var lastEvaluated = Origin.AddHours(6 * lastSlot);
            var now = lastEvaluated.AddHours(6 * hoursLater);
            var known = scenario.Batches.Take(3).SelectMany(b => b).Where(r => r.CompletedAt <= lastEvaluated).ToList();
            var arriving = scenario.Batches[3].Where(r => r.CompletedAt <= now).ToList();
            var stored = AssignmentRules.Evaluate(scenario.Terms, scenario.Facts, known, lastEvaluated, OrganisationCalendar.Utc);
            if (stored.Periods.Count == 0 || arriving.Count == 0)
            {
                return;
            }

            var history = stored.Periods.Where(p => p.CompletedAt is not null).ToList();
            var latest = stored.Periods[^1];
            var from = latest.WindowStart;
            if (arriving.Exists(r => r.CompletedAt <= from))
            {
                return;
            }

            List<ResultFact> all = [.. known, .. arriving];
            var everyResult = AssignmentRules.Evaluate(scenario.Terms, scenario.Facts, all, now, OrganisationCalendar.Utc, history);
            var someResults = AssignmentRules.Evaluate(
                scenario.Terms, scenario.Facts, all.Where(r => r.CompletedAt >= from), now, OrganisationCalendar.Utc, history, completions: null, resultsFrom: from);
            if (someResults.NeedsEarlierResults)
            {
                return;
            }

            Interlocked.Increment(ref fromLatest);
            if (arriving.Exists(r => r.CompletedAt <= lastEvaluated))
            {
                Interlocked.Increment(ref late);
            }

            Assert.Equal(everyResult.Status, someResults.Status);
            Assert.Equal(everyResult.NextTransitionAt, someResults.NextTransitionAt);
            Assert.Equal(Describe(everyResult), Describe(someResults));
        }, iter: Iterations);

        Assert.True(fromLatest > Iterations / 10, $"{fromLatest} of {Iterations} evaluated from the latest period");
        Assert.True(late > 0, "no batch brought a late result after the latest period's start");
    }

    /// <summary>A window whose results were not read and whose period is not on record cannot be derived: the standing says so.</summary>
    [Fact]
    public void AWindowBeforeTheResultsReadWithNoRecordedPeriodNeedsEveryResult()
    {
        var course = new CourseRequirement(1, "Course 1", [new StepRequirement(10, "Step 10", IsGraded: true)]);
        var terms = new CertificationTerms(DateOnly.FromDateTime(Origin), null, 80m, new RenewalPolicy(1, 10, RenewalAnchor.PreviousExpiry), [course]);
        var facts = new AssignmentFacts(Origin, 0, null);
        ResultFact[] results = [new(1, 10, 90m, Origin.AddDays(3)), new(2, 10, 95m, Origin.AddDays(40))];
        var recorded = AssignmentRules.Evaluate(terms, facts, results[..1], Origin.AddDays(5), OrganisationCalendar.Utc);
        var history = recorded.Periods.Where(p => p.CompletedAt is not null).ToList();
        var from = history[^1].CompletedAt!.Value;

        var withRecord = AssignmentRules.Evaluate(terms, facts, results, Origin.AddDays(45), OrganisationCalendar.Utc, history, completions: null, resultsFrom: from);
        var withoutRecord = AssignmentRules.Evaluate(terms, facts, results[1..], Origin.AddDays(45), OrganisationCalendar.Utc, history: [], completions: null, resultsFrom: from);

        Assert.False(withRecord.NeedsEarlierResults);
        Assert.Equal([Origin.AddDays(3), Origin.AddDays(40)], withRecord.Periods.Select(p => p.CompletedAt!.Value));
        Assert.True(withoutRecord.NeedsEarlierResults);
    }

    private static AssignmentStanding Evaluate(Scenario scenario, IEnumerable<ResultFact> results, IReadOnlyList<ComputedPeriod>? history) =>
        AssignmentRules.Evaluate(scenario.Terms, scenario.Facts, results, scenario.Now, OrganisationCalendar.Utc, history);

    private static string Describe(AssignmentStanding standing) =>
        $"{standing.Status} {standing.CoursesSatisfied}/{standing.CoursesRequired}: " + DescribePeriods(standing);

    private static string DescribePeriods(AssignmentStanding standing) =>
        string.Join(" | ", standing.Periods.Select(p =>
            string.Create(CultureInfo.InvariantCulture,
                $"#{p.Number} window {p.WindowStart:o} completed {p.CompletedAt:o} expires {p.ExpiresAt:o} chain {p.ChainStart:o}/{p.ChainIndex} grades {string.Join(",", p.CourseGrades.OrderBy(g => g.Key).Select(g => $"{g.Key}={g.Value}"))}")));
}
