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

        var ordered = results as CanonicalResults ?? InCanonicalOrder(results);
        var key = new EvaluationKey(courses, minimumPassingGrade, windowStart, withdrawnAt, ordered.Count, calendar);
        if (ordered.Memo?.TryGetValue(key, out var remembered) == true)
        {
            return remembered;
        }

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

        var evaluation = new ProgressEvaluation(windowStart, evaluations, completedAt) { Unmatched = unmatched };
        ordered.Memo?.Add(key, evaluation);
        return evaluation;
    }

    /// <summary>Completion time first, then id; step and score settle the (invalid) case of one id sent twice with different content.</summary>
    internal static CanonicalResults InCanonicalOrder(IEnumerable<ResultFact> results) =>
        [.. results.OrderBy(r => r.CompletedAt).ThenBy(r => r.Id).ThenBy(r => r.StepId).ThenBy(r => r.Score)];

    /// <summary>
    /// Results already in canonical order: the rules evaluate a period many times over the same list, sorted once.
    /// Made by <see cref="Remembering"/>, the list and every prefix <see cref="Until"/> takes of it share what the
    /// evaluations gave: evaluating one assignment at several instants (the renewal walk) replays the same periods
    /// over the same results, and a window's evaluation depends only on its start, the withdrawal, the terms and
    /// which prefix of the results it reads. Not for use by two threads at once.
    /// </summary>
    internal sealed class CanonicalResults : List<ResultFact>
    {
        public CanonicalResults()
        {
        }

        private CanonicalResults(IEnumerable<ResultFact> ordered, Dictionary<EvaluationKey, ProgressEvaluation>? memo)
            : base(ordered) =>
            Memo = memo;

        internal Dictionary<EvaluationKey, ProgressEvaluation>? Memo { get; }

        /// <summary>The results in canonical order, remembering the evaluations made over them and their prefixes.</summary>
        public static CanonicalResults Remembering(IEnumerable<ResultFact> results) =>
            new(InCanonicalOrder(results), []);

        /// <summary>The first results, up to and including <paramref name="until"/>, still in order.</summary>
        public CanonicalResults Until(DateTime until) => new(this.TakeWhile(r => r.CompletedAt <= until), Memo);
    }

    internal readonly record struct EvaluationKey(
        IReadOnlyList<CourseRequirement> Courses, decimal Minimum, DateTime WindowStart, DateTime? WithdrawnAt, int Results, OrganisationCalendar Calendar);

    /// <summary>A course's steps by id and its graded steps, worked out once per course (the terms are read once per batch).</summary>
    private sealed record StepIndex(Dictionary<int, StepRequirement> Steps, List<StepRequirement> Graded);

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<CourseRequirement, StepIndex> StepIndexes = [];

    private static StepIndex IndexOf(CourseRequirement course) => StepIndexes.GetValue(course, c =>
    {
        var steps = c.Steps.DistinctBy(s => s.StepId).ToDictionary(s => s.StepId);
        return new StepIndex(steps, [.. steps.Values.Where(s => s.IsGraded)]);
    });

    private sealed record Window(DateTime Start, DateTime? WithdrawnAt, OrganisationCalendar Calendar);

    private static CourseEvaluation EvaluateCourse(CourseRequirement course, decimal minimum, Window window, List<ResultFact> ordered)
    {
        var (steps, graded) = IndexOf(course);
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

            explanations[i] = new ResultExplanation(result, course.CourseId, verdict, () => verdict switch
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
                ? new ResultExplanation(result, course.CourseId, ResultVerdict.Counted, () => $"Best score on {step.Title} in the window")
                : new ResultExplanation(result, course.CourseId, ResultVerdict.Superseded, () => SupersededReason(result, winner, window.Calendar));
        }

        decimal? grade = best.Count == 0 ? null : graded.Sum(s => best.TryGetValue(s.StepId, out var r) ? r.Score : 0m) / graded.Count;
        var withResult = graded.Count(s => best.ContainsKey(s.StepId));
        var courseVerdict = (graded.Count, withResult, satisfiedAt) switch
        {
            (0, _, _) => CourseVerdict.NoGradedSteps,
            var (all, some, _) when some < all => CourseVerdict.MissingSteps,
            (_, _, null) => CourseVerdict.BelowMinimum,
            _ => CourseVerdict.Satisfied,
        };
        string Describe()
        {
            var missing = graded.Where(s => !best.ContainsKey(s.StepId)).ToList();
            return courseVerdict switch
            {
                CourseVerdict.NoGradedSteps => "The course has no graded steps, so it cannot be satisfied",
                CourseVerdict.MissingSteps =>
                    $"{missing.Count} of {graded.Count} graded steps {(missing.Count == 1 ? "has" : "have")} no result in the window: {string.Join(", ", missing.Select(s => s.Title))}",
                CourseVerdict.BelowMinimum => $"Grade {ProgressText.Percent(grade!.Value)} is below the minimum of {ProgressText.Percent(minimum)}",
                _ => $"Grade {ProgressText.Percent(grade!.Value)} meets the minimum of {ProgressText.Percent(minimum)}; satisfied on {ProgressText.Instant(satisfiedAt!.Value, window.Calendar)}",
            };
        }

        return new CourseEvaluation(
            course.CourseId,
            course.Title,
            grade,
            minimum,
            courseVerdict == CourseVerdict.Satisfied,
            courseVerdict == CourseVerdict.Satisfied ? satisfiedAt : null,
            graded.Count,
            withResult,
            courseVerdict,
            explanations)
        {
            Describe = Describe,
        };
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
