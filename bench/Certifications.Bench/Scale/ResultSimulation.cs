namespace Certifications.Bench.Scale;

/// <summary>
/// The step results of eighteen months, learner by learner, as people really take their training: some never start,
/// some stop half-way, most go course by course and retake a quiz when the course grade falls short; on renewing
/// certifications most replay in the renewal window, some after the expiry, some never. Then results on courses no
/// certification of theirs needs (practice, other training) make up the total.
/// The simulation only decides what is played when: the statuses are the product's to compute from the results.
/// </summary>
internal sealed class ResultSimulation(ScaleOrganisation organisation, Random random)
{
    private const double SecondsPerDay = 86_400;

    private readonly double[] skills = Skills(organisation.Size.Learners, random);

    /// <summary>Every result, in the order they were completed.</summary>
    public ScaleResult[] Run(out int simulated)
    {
        var results = new List<ScaleResult>(organisation.Size.Results);
        var certifications = organisation.Certifications.ToDictionary(c => c.Id);
        foreach (var assignment in organisation.Assignments)
        {
            Simulate(assignment, certifications[assignment.CertificationId], results);
        }

        simulated = results.Count;
        AddOtherTraining(results, organisation.Size.Results - results.Count);
        var array = results.ToArray();
        Array.Sort(array, static (a, b) => a.CompletedTicks != b.CompletedTicks ? a.CompletedTicks.CompareTo(b.CompletedTicks)
            : a.LearnerId != b.LearnerId ? a.LearnerId.CompareTo(b.LearnerId)
            : a.StepId.CompareTo(b.StepId));
        return array;
    }

    private static double[] Skills(int learners, Random random)
    {
        var skills = new double[learners + 1];
        for (var i = 1; i <= learners; i++)
        {
            skills[i] = Draw.Normal(random, 80, 7);
        }

        return skills;
    }

    private void Simulate(ScaleAssignment assignment, ScaleCertification certification, List<ScaleResult> results)
    {
        var effective = certification.EffectiveFrom.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        var start = assignment.AssignedAt > effective ? assignment.AssignedAt : effective;
        var end = assignment.WithdrawnAt ?? ScaleOrganisation.Now;
        var persona = random.NextDouble();
        if (persona < 0.15)
        {
            return;
        }

        var skill = skills[assignment.LearnerId];
        if (random.NextDouble() < 0.05)
        {
            // Played the first course before being assigned: counts only when the grace period reaches back that far.
            PlayPeriod(certification, start.AddDays(-random.Next(1, 45)), start, assignment.LearnerId, skill, courses: 1, results);
        }

        var began = certification.GraceDays > 0 && random.NextDouble() < 0.1
            ? start.AddDays(-random.NextDouble() * certification.GraceDays)
            : start.AddSeconds(Draw.Exponential(random, 12 * SecondsPerDay));
        var partial = persona < 0.37;
        var courses = partial ? 1 + random.Next(certification.Courses.Length) : certification.Courses.Length;
        var completedAt = PlayPeriod(certification, began, end, assignment.LearnerId, skill, courses, results, stopEarly: partial);
        if (completedAt is null || certification.RenewalMonths is not { } months)
        {
            return;
        }

        var expiry = completedAt.Value.AddMonths(months);
        while (true)
        {
            var choice = random.NextDouble();
            var replay = choice < 0.72 ? expiry.AddDays(-random.NextDouble() * certification.RenewalWindowDays * 0.9)
                : choice < 0.85 ? expiry.AddDays(3 + random.NextDouble() * 40)
                : DateTime.MaxValue;
            if (replay >= end)
            {
                return;
            }

            if (PlayPeriod(certification, replay, end, assignment.LearnerId, skill, certification.Courses.Length, results) is not { } renewed)
            {
                return;
            }

            expiry = certification.RenewalAnchor == "PreviousExpiry" && renewed < expiry ? expiry.AddMonths(months) : renewed.AddMonths(months);
        }
    }

    /// <summary>Plays the first <paramref name="courses"/> courses in order; the instant of the last result when all were passed.</summary>
    private DateTime? PlayPeriod(
        ScaleCertification certification, DateTime at, DateTime end, int learner, double skill, int courses, List<ScaleResult> results, bool stopEarly = false)
    {
        var minimum = (double)certification.MinimumPassingGrade;
        var time = at;
        for (var c = 0; c < courses; c++)
        {
            var course = organisation.Courses[certification.Courses[c] - 1];
            var best = new double[course.Steps.Length];
            for (var i = 0; i < course.Steps.Length; i++)
            {
                // Ungraded steps (videos, readings) are often not reported at all.
                if (!course.Graded[i] && random.NextDouble() < 0.6)
                {
                    continue;
                }

                time = time.AddSeconds(Draw.Exponential(random, 0.7 * SecondsPerDay));
                if (time > end || (stopEarly && c == courses - 1 && random.NextDouble() < 0.3))
                {
                    return null;
                }

                best[i] = course.Graded[i] ? Draw.Score(random, skill, 12) : 100;
                results.Add(new ScaleResult(learner, course.Steps[i], best[i], Draw.Seconds(time).Ticks));
            }

            for (var retake = 0; Grade(course, best) < minimum; retake++)
            {
                if (retake == 3)
                {
                    return null;
                }

                var weakest = Weakest(course, best);
                time = time.AddSeconds(Draw.Exponential(random, 2 * SecondsPerDay));
                if (time > end)
                {
                    return null;
                }

                var score = Draw.Score(random, skill + 10, 8);
                best[weakest] = Math.Max(best[weakest], score);
                results.Add(new ScaleResult(learner, course.Steps[weakest], score, Draw.Seconds(time).Ticks));
            }
        }

        return courses == certification.Courses.Length ? Draw.Seconds(time) : null;
    }

    private static double Grade(ScaleCourse course, double[] best)
    {
        double sum = 0, count = 0;
        for (var i = 0; i < best.Length; i++)
        {
            if (course.Graded[i])
            {
                sum += best[i];
                count++;
            }
        }

        return count == 0 ? 0 : sum / count;
    }

    private static int Weakest(ScaleCourse course, double[] best)
    {
        var weakest = -1;
        for (var i = 0; i < best.Length; i++)
        {
            if (course.Graded[i] && (weakest < 0 || best[i] < best[weakest]))
            {
                weakest = i;
            }
        }

        return weakest;
    }

    /// <summary>Training outside the learner's certifications, over the whole period: popular courses most.</summary>
    private void AddOtherTraining(List<ScaleResult> results, int count)
    {
        var courses = organisation.Courses.Where(c => c.IsPublished).ToArray();
        var pick = new SkewedPick(courses.Length, exponent: 0.6);
        var from = ScaleOrganisation.HistoryStart.AddDays(-60);
        for (var i = 0; i < count; i++)
        {
            var course = courses[pick.Next(random)];
            var step = random.Next(course.Steps.Length);
            var score = course.Graded[step] ? Draw.Score(random, 75, 15) : 100;
            results.Add(new ScaleResult(random.Next(1, organisation.Size.Learners + 1), course.Steps[step], score, Draw.Between(random, from, ScaleOrganisation.Now.AddMinutes(-1)).Ticks));
        }
    }
}
