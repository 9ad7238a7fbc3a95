using Certifications.Core.Catalog;

namespace Certifications.Core.Demo;

internal sealed partial class DemoDataBuilder
{
    private enum Attempt
    {
        /// <summary>Every step played; graded ones at or above the minimum, sometimes after a failed first try.</summary>
        Pass,

        /// <summary>Every step played; graded ones below the minimum.</summary>
        Fail,

        /// <summary>Stopped before the last graded step.</summary>
        Partial,
    }

    /// <summary>
    /// Plays the courses in order, each on its own day within [from, to] when the range allows, and returns the
    /// instant of the last result, or null (playing nothing) when the range cannot hold the sittings.
    /// </summary>
    private DateTime? PlayCourses(Person person, List<Course> played, DateOnly from, DateOnly to, Attempt attempt, decimal minimum)
    {
        var days = PickDays(from, to, played.Count);
        return days is null ? null : PlaySittings(person, played, days, attempt, minimum);
    }

    /// <summary>Courses falling on the same day follow one another, which the short courses allow before the evening.</summary>
    private DateTime PlaySittings(Person person, List<Course> played, List<DateOnly> days, Attempt attempt, decimal minimum)
    {
        var end = DateTime.MinValue;
        for (var i = 0; i < played.Count; i++)
        {
            var start = i > 0 && days[i] == days[i - 1] ? end.AddMinutes(random.Next(10, 45)) : WorkingTime(days[i]);
            end = PlayCourse(person, played[i], start, attempt, minimum);
        }

        return end;
    }

    /// <summary>Plays one course in a sitting from <paramref name="start"/>; returns the instant of its last result.</summary>
    private DateTime PlayCourse(Person person, Course course, DateTime start, Attempt attempt, decimal minimum)
    {
        var graded = course.Steps.Count(s => s.IsGraded);
        var gradedToPlay = attempt == Attempt.Partial ? random.Next(graded) : graded;
        var passMark = (int)Math.Ceiling(minimum);
        var at = start;
        var gradedPlayed = 0;
        foreach (var step in course.Steps.OrderBy(s => s.Position))
        {
            if (step.IsGraded && gradedPlayed == gradedToPlay)
            {
                break;
            }

            at = at.AddMinutes(step.IsGraded ? random.Next(6, 25) : random.Next(4, 15)).AddSeconds(random.Next(60));
            if (!step.IsGraded)
            {
                // The player reports a completed video or reading as 100; it never counts toward a grade.
                Record(person, step, 100m, at);
                continue;
            }

            gradedPlayed++;
            if (attempt == Attempt.Fail)
            {
                Record(person, step, Score(40, passMark - 8), at);
                continue;
            }

            if (random.NextDouble() < 0.2)
            {
                Record(person, step, Score(40, passMark - 5), at);
                at = at.AddMinutes(random.Next(5, 20)).AddSeconds(random.Next(60));
            }

            Record(person, step, Score(Math.Min(passMark + 2, 100), 100), at);
        }

        return at;
    }

    private void Record(Person person, Step step, decimal score, DateTime completedAt)
    {
        if (completedAt >= resultsCutOff)
        {
            throw new InvalidOperationException($"A demo result at {completedAt:O} would not be in the past.");
        }

        data.Results.Add(new StepResult
        {
            Learner = person.Learner,
            Step = step,
            Score = score,
            CompletedAt = completedAt,
            ReceivedAt = completedAt.AddSeconds(random.Next(2, 30)),
            ExternalId = "",
        });
    }

    /// <summary>A score in [low, high], in half points as quiz engines report them.</summary>
    private decimal Score(int low, int high) => Math.Round((decimal)(low + (random.NextDouble() * (high - low))) * 2, MidpointRounding.ToZero) / 2;

    /// <summary>
    /// <paramref name="count"/> distinct days in [from, to], in order, working days first; null when the range is too
    /// short. The range never reaches today.
    /// </summary>
    private List<DateOnly>? PickDays(DateOnly from, DateOnly to, int count)
    {
        var last = today.AddDays(-1);
        if (to > last)
        {
            to = last;
        }

        var span = to.DayNumber - from.DayNumber + 1;
        if (span < count)
        {
            return null;
        }

        // A weekend day is only chosen when few working days are left to choose from.
        return [.. Enumerable.Range(0, span)
            .Select(offset => from.AddDays(offset))
            .Select(day => (Day: day, Key: random.NextDouble() + (IsWeekend(day) ? 0.9 : 0)))
            .OrderBy(d => d.Key)
            .Take(count)
            .Select(d => d.Day)
            .Order()];
    }

    private DateOnly? PickDay(DateOnly from, DateOnly to) => PickDays(from, to, 1) is [var day] ? day : null;

    private static bool IsWeekend(DateOnly day) => day.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday;

    /// <summary>Learners start a course between 08:30 and 15:00 so that even a long sitting ends before the evening.</summary>
    private DateTime WorkingTime(DateOnly day) => At(day, 8 * 60 + 30, 15 * 60);

    /// <summary>The UTC instant of a random local time on <paramref name="day"/> between two minutes of the day.</summary>
    private DateTime At(DateOnly day, int fromMinute, int toMinute) =>
        calendar.ToUtc(day.ToDateTime(TimeOnly.FromTimeSpan(TimeSpan.FromMinutes(random.Next(fromMinute, toMinute)))));

    private static DateOnly Later(DateOnly a, DateOnly b) => a > b ? a : b;

    private static DateTime Later(DateTime a, DateTime b) => a > b ? a : b;
}
