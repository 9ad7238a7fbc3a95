using Certifications.Core.Time;

namespace Certifications.Core.Progress;

public static class ProgressRules
{
    /// <summary>
    /// Evaluates every course over one counting window and explains every result. The answer depends only on the set of
    /// results, never on the order they arrive in.
    /// </summary>
    public static ProgressEvaluation Evaluate(
        IReadOnlyList<CourseRequirement> courses,
        decimal minimumPassingGrade,
        DateTime windowStart,
        IEnumerable<ResultFact> results) =>
        Evaluate(courses, minimumPassingGrade, windowStart, results, OrganisationCalendar.Utc, withdrawnAt: null);

    /// <summary>
    /// As <see cref="Evaluate(IReadOnlyList{CourseRequirement}, decimal, DateTime, IEnumerable{ResultFact})"/>, with dates
    /// in the explanations written in the organisation's zone, and results after <paramref name="withdrawnAt"/> not counted.
    /// </summary>
    public static ProgressEvaluation Evaluate(
        IReadOnlyList<CourseRequirement> courses,
        decimal minimumPassingGrade,
        DateTime windowStart,
        IEnumerable<ResultFact> results,
        OrganisationCalendar calendar,
        DateTime? withdrawnAt)
    {
        ArgumentNullException.ThrowIfNull(courses);
        ArgumentNullException.ThrowIfNull(results);
        ArgumentNullException.ThrowIfNull(calendar);

        var ordered = InCanonicalOrder(results);
        var window = new Window(windowStart, withdrawnAt, calendar);
        var evaluations = courses.Select(c => EvaluateCourse(c, minimumPassingGrade, window, ordered)).ToList();

        var includedSteps = courses.SelectMany(c => c.Steps).Select(s => s.StepId).ToHashSet();
        var unmatched = ordered
            .Where(r => !includedSteps.Contains(r.StepId))
            .Select(r => new ResultExplanation(r, null, ResultVerdict.NotInCertification, "Step is not part of any course of this certification"))
            .ToList();

        // Satisfaction only grows as results arrive within a window, so the certification was first complete when the
        // last of its courses was first satisfied.
        var completedAt = evaluations.Count > 0 && evaluations.All(c => c.IsSatisfied)
            ? evaluations.Max(c => c.SatisfiedAt)
            : null;

        return new ProgressEvaluation(windowStart, evaluations, completedAt) { Unmatched = unmatched };
    }

    /// <summary>Completion time first, then id; step and score settle the (invalid) case of one id sent twice with different content.</summary>
    internal static List<ResultFact> InCanonicalOrder(IEnumerable<ResultFact> results) =>
        [.. results.OrderBy(r => r.CompletedAt).ThenBy(r => r.Id).ThenBy(r => r.StepId).ThenBy(r => r.Score)];

    private sealed record Window(DateTime Start, DateTime? WithdrawnAt, OrganisationCalendar Calendar);

    private static CourseEvaluation EvaluateCourse(CourseRequirement course, decimal minimum, Window window, List<ResultFact> ordered)
    {
        var steps = course.Steps.DistinctBy(s => s.StepId).ToDictionary(s => s.StepId);
        var graded = steps.Values.Where(s => s.IsGraded).ToList();
        var courseResults = ordered.Where(r => steps.ContainsKey(r.StepId)).ToList();

        var explanations = new ResultExplanation[courseResults.Count];
        var candidates = new List<int>();
        for (var i = 0; i < courseResults.Count; i++)
        {
            var result = courseResults[i];
            var excluded = steps[result.StepId].IsGraded ? OutsideWindow(result, window) : ResultVerdict.UngradedStep;
            if (excluded is not { } verdict)
            {
                candidates.Add(i);
                continue;
            }

            explanations[i] = new ResultExplanation(result, course.CourseId, verdict, verdict switch
            {
                ResultVerdict.UngradedStep => "Step is not graded",
                ResultVerdict.AfterWithdrawal => $"After the assignment was withdrawn on {ProgressText.Instant(window.WithdrawnAt!.Value, window.Calendar)}",
                _ => $"Before the counting window that starts {ProgressText.Instant(window.Start, window.Calendar)}",
            });
        }

        // Walk the results in time order to find the first instant the course was satisfied. Best scores only rise, so
        // once satisfied it stays satisfied; the sum is compared with minimum × steps to stay exact in decimal.
        var best = new Dictionary<int, ResultFact>();
        var sum = 0m;
        DateTime? satisfiedAt = null;
        foreach (var result in candidates.Select(i => courseResults[i]))
        {
            if (best.TryGetValue(result.StepId, out var current) && current.Score >= result.Score)
            {
                continue;
            }

            sum += result.Score - (current?.Score ?? 0m);
            best[result.StepId] = result;
            if (satisfiedAt is null && graded.Count > 0 && best.Count == graded.Count && sum >= minimum * graded.Count)
            {
                satisfiedAt = result.CompletedAt;
            }
        }

        foreach (var i in candidates)
        {
            var result = courseResults[i];
            var step = steps[result.StepId];
            var winner = best[result.StepId];
            explanations[i] = ReferenceEquals(winner, result)
                ? new ResultExplanation(result, course.CourseId, ResultVerdict.Counted, $"Best score on {step.Title} in the window")
                : new ResultExplanation(result, course.CourseId, ResultVerdict.Superseded, SupersededReason(result, winner, window.Calendar));
        }

        decimal? grade = best.Count == 0 ? null : graded.Sum(s => best.TryGetValue(s.StepId, out var r) ? r.Score : 0m) / graded.Count;
        var missing = graded.Where(s => !best.ContainsKey(s.StepId)).ToList();
        var (courseVerdict, reason) = (graded.Count, missing.Count, satisfiedAt) switch
        {
            (0, _, _) => (CourseVerdict.NoGradedSteps, "The course has no graded steps, so it cannot be satisfied"),
            (_, > 0, _) => (CourseVerdict.MissingSteps,
                $"{missing.Count} of {graded.Count} graded steps {(missing.Count == 1 ? "has" : "have")} no result in the window: {string.Join(", ", missing.Select(s => s.Title))}"),
            (_, _, null) => (CourseVerdict.BelowMinimum, $"Grade {ProgressText.Percent(grade!.Value)} is below the minimum of {ProgressText.Percent(minimum)}"),
            _ => (CourseVerdict.Satisfied,
                $"Grade {ProgressText.Percent(grade!.Value)} meets the minimum of {ProgressText.Percent(minimum)}; satisfied on {ProgressText.Instant(satisfiedAt.Value, window.Calendar)}"),
        };

        return new CourseEvaluation(
            course.CourseId,
            course.Title,
            grade,
            minimum,
            courseVerdict == CourseVerdict.Satisfied,
            courseVerdict == CourseVerdict.Satisfied ? satisfiedAt : null,
            graded.Count,
            graded.Count(s => best.ContainsKey(s.StepId)),
            courseVerdict,
            reason,
            explanations);
    }

    private static ResultVerdict? OutsideWindow(ResultFact result, Window window) =>
        window.WithdrawnAt is { } withdrawnAt && result.CompletedAt > withdrawnAt ? ResultVerdict.AfterWithdrawal
        : result.CompletedAt < window.Start ? ResultVerdict.BeforeWindow
        : null;

    private static string SupersededReason(ResultFact result, ResultFact winner, OrganisationCalendar calendar) =>
        winner.Score == result.Score
            ? $"Superseded by the same score of {ProgressText.Percent(winner.Score)} reached earlier, on {ProgressText.Instant(winner.CompletedAt, calendar)}"
            : $"Superseded by {ProgressText.Percent(winner.Score)} on {ProgressText.Instant(winner.CompletedAt, calendar)}";
}
