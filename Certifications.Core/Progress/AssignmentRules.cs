using Certifications.Core.Renewals;
using Certifications.Core.Time;

namespace Certifications.Core.Progress;

public static class AssignmentRules
{
    private static readonly IReadOnlyDictionary<int, decimal> NoGrades = new Dictionary<int, decimal>();

    /// <summary>The later of the assignment instant and the start of Effective From in the organisation's zone.</summary>
    public static DateTime AssignmentStart(DateTime assignedAt, DateOnly effectiveFrom, OrganisationCalendar calendar)
    {
        ArgumentNullException.ThrowIfNull(calendar);
        var effective = calendar.StartOfDay(effectiveFrom);
        return DateTime.SpecifyKind(assignedAt > effective ? assignedAt : effective, DateTimeKind.Utc);
    }

    /// <summary>The assignment start less the grace period, in days of 24 hours.</summary>
    public static DateTime FirstWindowStart(DateTime assignedAt, int graceDays, DateOnly effectiveFrom, OrganisationCalendar calendar)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(graceDays);
        return AssignmentStart(assignedAt, effectiveFrom, calendar).AddDays(-graceDays);
    }

    /// <summary>
    /// Replays the assignment from its first window to <paramref name="now"/>: every period, its completion and expiry, and
    /// the status at <paramref name="now"/>. The same facts at the same instant always give the same standing, so the
    /// scheduler can catch up after downtime simply by evaluating again.
    /// </summary>
    /// <param name="history">
    /// Completed periods already on record. Each is kept as recorded — a later change of the certification's terms never
    /// rewrites a learner's history — unless the results show that period completed earlier, or a period before it was
    /// re-derived (results that arrived late or out of order), which is what they would have shown had they arrived in
    /// order. A period the results still complete at the recorded instant keeps its window and expiry and takes its
    /// course grades from the results, since a late result from before the completion can raise a grade without
    /// moving the completion.
    /// </param>
    public static AssignmentStanding Evaluate(
        CertificationTerms terms,
        AssignmentFacts facts,
        IEnumerable<ResultFact> results,
        DateTime now,
        OrganisationCalendar calendar,
        IReadOnlyList<ComputedPeriod>? history = null)
    {
        ArgumentNullException.ThrowIfNull(terms);
        ArgumentNullException.ThrowIfNull(facts);
        ArgumentNullException.ThrowIfNull(results);
        ArgumentNullException.ThrowIfNull(calendar);
        if (terms.Renewal is { } renewal)
        {
            RenewalRules.EnsureValid(renewal);
        }

        // A withdrawal stamped later than now has not happened yet at now.
        var withdrawnAt = facts.WithdrawnAt is { } w && w <= now ? w : (DateTime?)null;
        var known = results is ProgressRules.CanonicalResults ordered ? ordered.Until(now) : ProgressRules.InCanonicalOrder(results.Where(r => r.CompletedAt <= now));

        var recorded = (history ?? []).Where(p => p.CompletedAt is not null).ToDictionary(p => p.Number);
        var (periods, current) = ReplayPeriods(terms, known, FirstWindowStart(facts.AssignedAt, facts.GraceDays, terms.EffectiveFrom, calendar), now, withdrawnAt, calendar, recorded);

        var lastCompleted = periods.LastOrDefault(p => p.CompletedAt is not null);
        DateTime? dueAt = terms.Renewal is null && terms.DueDate is { } due ? calendar.EndOfDay(due) : null;
        var expiresAt = lastCompleted?.ExpiresAt;
        DateTime? windowOpensAt = expiresAt is { } e && terms.Renewal is { } policy ? RenewalRules.WindowOpensAt(e, policy.WindowDays) : null;

        var status = StatusAt(terms, current, lastCompleted, now, withdrawnAt, dueAt, windowOpensAt, calendar);
        var summary = Summarise(status, terms, current, lastCompleted, withdrawnAt, windowOpensAt, calendar);
        var next = NextTransitionAt(terms, lastCompleted, now, withdrawnAt, dueAt, windowOpensAt, calendar);
        return new AssignmentStanding(status, periods, current, dueAt, expiresAt, windowOpensAt, summary, next);
    }

    /// <summary>
    /// The first instant after <paramref name="now"/> at which <see cref="StatusAt"/> or the replayed periods read
    /// differently with the same facts: each is one of the instants they compare <c>now</c> with. Results and a
    /// withdrawal stamped later than now are facts that have not happened yet, not the clock's doing, so they are not
    /// counted: whoever records them evaluates the assignment then.
    /// </summary>
    private static DateTime? NextTransitionAt(
        CertificationTerms terms,
        ComputedPeriod? lastCompleted,
        DateTime now,
        DateTime? withdrawnAt,
        DateTime? dueAt,
        DateTime? windowOpensAt,
        OrganisationCalendar calendar)
    {
        if (withdrawnAt is not null)
        {
            // Withdrawn: a renewing certification still held reads Certified until it expires, then Withdrawn.
            return terms.Renewal is not null && lastCompleted?.ExpiresAt is { } expires && now < expires ? expires : null;
        }

        var effective = calendar.StartOfDay(terms.EffectiveFrom);
        if (now < effective)
        {
            return effective;
        }

        if (lastCompleted is null)
        {
            return terms.Renewal is null && dueAt is { } due && now < due ? due : null;
        }

        // From the window opening the next period is open (Expiring soon); at expiry Renewal due.
        return terms.Renewal is null ? null
            : now < windowOpensAt ? windowOpensAt
            : now < lastCompleted.ExpiresAt ? lastCompleted.ExpiresAt
            : null;
    }

    private static (List<ComputedPeriod> Periods, ProgressEvaluation Current) ReplayPeriods(
        CertificationTerms terms,
        ProgressRules.CanonicalResults known,
        DateTime windowStart,
        DateTime now,
        DateTime? withdrawnAt,
        OrganisationCalendar calendar,
        Dictionary<int, ComputedPeriod> recorded)
    {
        var periods = new List<ComputedPeriod>();
        ExpiryPlacement? placement = null;

        // Once a recorded period is re-derived from the results, the windows after it follow the new chain, so the
        // periods recorded after it are re-derived too whenever the results still complete them.
        var rederived = false;

        // Terminates: each renewal window opens after the completion before it, and a completion needs a result in its window.
        while (true)
        {
            var evaluation = ProgressRules.Evaluate(terms.Courses, terms.MinimumPassingGrade, windowStart, known, calendar, withdrawnAt);
            var number = periods.Count + 1;
            if (recorded.TryGetValue(number, out var kept) && KeepsRecord(kept, evaluation, rederived))
            {
                periods.Add(evaluation.CompletedAt == kept.CompletedAt
                    ? WithGradesFromResults(kept, GradesAt(terms, known, windowStart, kept.CompletedAt!.Value, withdrawnAt, calendar))
                    : kept);
                kept = periods[^1];
                if (terms.Renewal is not { } keptPolicy)
                {
                    return (periods, evaluation);
                }

                // A completion recorded while the certification was one-time has no expiry: renewal turned on since
                // dates it from that completion, as if it had always renewed.
                placement = kept.ExpiresAt is { } recordedExpiry
                    ? new ExpiryPlacement(kept.ChainStart ?? kept.CompletedAt!.Value, kept.ChainIndex, recordedExpiry)
                    : RenewalRules.PlaceExpiry(keptPolicy, kept.CompletedAt!.Value, null, calendar);
                if (kept.ExpiresAt is null)
                {
                    periods[^1] = kept with { ExpiresAt = placement.ExpiresAt, ChainStart = placement.ChainStart, ChainIndex = placement.ChainIndex };
                }

                var keptExpiry = placement.ExpiresAt;
                var windowAfterKept = RenewalRules.WindowOpensAt(keptExpiry, keptPolicy.WindowDays);
                if (now < windowAfterKept || (withdrawnAt is { } withdrawnAfterKept && windowAfterKept > withdrawnAfterKept))
                {
                    return (periods, evaluation);
                }

                windowStart = windowAfterKept;
                continue;
            }

            rederived |= kept is not null;
            if (evaluation.CompletedAt is not { } completedAt)
            {
                periods.Add(new ComputedPeriod(number, windowStart, null, null, null, 0, NoGrades));
                return (periods, evaluation);
            }

            var grades = GradesAt(terms, known, windowStart, completedAt, withdrawnAt, calendar);
            if (terms.Renewal is not { } policy)
            {
                periods.Add(new ComputedPeriod(number, windowStart, completedAt, null, null, 0, grades));
                return (periods, evaluation);
            }

            placement = RenewalRules.PlaceExpiry(policy, completedAt, placement, calendar);
            periods.Add(new ComputedPeriod(number, windowStart, completedAt, placement.ExpiresAt, placement.ChainStart, placement.ChainIndex, grades));

            var nextWindow = RenewalRules.WindowOpensAt(placement.ExpiresAt, policy.WindowDays);
            if (now < nextWindow || (withdrawnAt is { } withdrawn && nextWindow > withdrawn))
            {
                return (periods, evaluation);
            }

            windowStart = nextWindow;
        }
    }

    /// <summary>
    /// A recorded period stands while the results do not complete it earlier: they complete it later or not at all only
    /// when the terms changed since (a higher minimum, another course), and history is not rewritten for that. When a
    /// period before it was re-derived, its window moved, and only a later completion keeps the record.
    /// </summary>
    private static bool KeepsRecord(ComputedPeriod kept, ProgressEvaluation evaluation, bool rederived) =>
        evaluation.CompletedAt is not { } completedAt
        || completedAt > kept.CompletedAt
        || (completedAt == kept.CompletedAt && !rederived);

    /// <summary>The grades the results give at the recorded completion, unless the certification's courses changed since.</summary>
    private static ComputedPeriod WithGradesFromResults(ComputedPeriod kept, Dictionary<int, decimal> grades) =>
        grades.Count == kept.CourseGrades.Count && grades.Keys.All(kept.CourseGrades.ContainsKey) ? kept with { CourseGrades = grades } : kept;

    /// <summary>Each course's grade as it stood when the period completed; later replays in the same window do not rewrite it.</summary>
    private static Dictionary<int, decimal> GradesAt(
        CertificationTerms terms,
        ProgressRules.CanonicalResults known,
        DateTime windowStart,
        DateTime completedAt,
        DateTime? withdrawnAt,
        OrganisationCalendar calendar)
    {
        var atCompletion = ProgressRules.Evaluate(
            terms.Courses, terms.MinimumPassingGrade, windowStart, known.Until(completedAt), calendar, withdrawnAt);
        var grades = new Dictionary<int, decimal>();
        foreach (var course in atCompletion.Courses)
        {
            // Every course is satisfied at completion, so every course has a grade.
            grades[course.CourseId] = course.Grade!.Value;
        }

        return grades;
    }

    private static AssignmentStatus StatusAt(
        CertificationTerms terms,
        ProgressEvaluation current,
        ComputedPeriod? lastCompleted,
        DateTime now,
        DateTime? withdrawnAt,
        DateTime? dueAt,
        DateTime? windowOpensAt,
        OrganisationCalendar calendar)
    {
        var renewing = terms.Renewal is not null;

        // Withdrawal is checked before Scheduled: a certification retired before it started must not read as still coming.
        if (withdrawnAt is not null)
        {
            return (renewing, lastCompleted) switch
            {
                (false, not null) => AssignmentStatus.Completed,
                (true, { ExpiresAt: { } expires }) when now < expires => AssignmentStatus.Certified,
                _ => AssignmentStatus.Withdrawn,
            };
        }

        if (now < calendar.StartOfDay(terms.EffectiveFrom))
        {
            return AssignmentStatus.Scheduled;
        }

        var started = current.Courses.Any(c => c.Results.Any(r => r.Verdict == ResultVerdict.Counted));
        if (lastCompleted is null)
        {
            return !renewing && now >= dueAt ? AssignmentStatus.Overdue
                : started ? AssignmentStatus.InProgress
                : AssignmentStatus.NotStarted;
        }

        if (!renewing)
        {
            return AssignmentStatus.Completed;
        }

        return now < windowOpensAt ? AssignmentStatus.Certified
            : now < lastCompleted.ExpiresAt ? AssignmentStatus.ExpiringSoon
            : AssignmentStatus.RenewalDue;
    }

    private static string Summarise(
        AssignmentStatus status,
        CertificationTerms terms,
        ProgressEvaluation current,
        ComputedPeriod? lastCompleted,
        DateTime? withdrawnAt,
        DateTime? windowOpensAt,
        OrganisationCalendar calendar)
    {
        var progress = $"{current.CoursesSatisfied} of {ProgressText.Courses(current.CoursesRequired)} satisfied";
        var due = terms.Renewal is null && terms.DueDate is { } dueDate ? ProgressText.Date(dueDate) : null;
        var dueClause = due is null ? "" : $"; due {due}";
        string On(DateTime? utc) => ProgressText.Date(utc!.Value, calendar);

        return status switch
        {
            AssignmentStatus.Scheduled => $"Scheduled to start on {ProgressText.Date(terms.EffectiveFrom)}{dueClause}.",
            AssignmentStatus.NotStarted => $"Not started: {progress}{dueClause}.",
            AssignmentStatus.InProgress => $"In progress: {progress}{dueClause}.",
            AssignmentStatus.Overdue => $"Overdue: due {due} and {progress}.",
            AssignmentStatus.Completed when withdrawnAt is not null =>
                $"Completed on {On(lastCompleted?.CompletedAt)}; the assignment was withdrawn on {On(withdrawnAt)}.",
            AssignmentStatus.Completed => $"Completed on {On(lastCompleted?.CompletedAt)}.",
            AssignmentStatus.Certified when withdrawnAt is not null =>
                $"Certified until {On(lastCompleted?.ExpiresAt)}; the assignment was withdrawn on {On(withdrawnAt)}, so it will not be renewed.",
            AssignmentStatus.Certified => $"Certified until {On(lastCompleted?.ExpiresAt)}; the renewal window opens {On(windowOpensAt)}.",
            AssignmentStatus.ExpiringSoon =>
                $"Expiring on {On(lastCompleted?.ExpiresAt)}: the renewal window is open and {progress} toward the renewal.",
            AssignmentStatus.RenewalDue =>
                $"Renewal due: expired on {On(lastCompleted?.ExpiresAt)}, and {progress} toward the renewal.",
            _ when lastCompleted?.ExpiresAt is { } expired =>
                $"Withdrawn on {On(withdrawnAt)}; the certification expired on {On(expired)}.",
            _ => $"Withdrawn on {On(withdrawnAt)} with {progress}.",
        };
    }
}
