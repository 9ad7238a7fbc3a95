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
    /// <param name="completions">
    /// Completion records (imported history, an admin's override) that are not revoked. Each completes the period whose
    /// window it falls in, the first period taking one from before its window too, unless the results complete that
    /// period earlier; a period one completed is kept only while that record is among them.
    /// </param>
    /// <param name="resultsFrom">
    /// When set, <paramref name="results"/> holds only the results completed from this instant on, and every period in
    /// <paramref name="history"/> whose window opens before it stands as recorded: the caller knows that no fact before
    /// it changed since the assignment was last evaluated (only the clock moved, or results came after it). A standing
    /// that had to derive a period in a window opening before it says so (<see cref="AssignmentStanding.NeedsEarlierResults"/>),
    /// and is to be evaluated again with every result. Otherwise its status, periods and next transition are exact, and
    /// so is its current evaluation (progress, summary) unless that evaluates a window opening before it.
    /// </param>
    public static AssignmentStanding Evaluate(
        CertificationTerms terms,
        AssignmentFacts facts,
        IEnumerable<ResultFact> results,
        DateTime now,
        OrganisationCalendar calendar,
        IReadOnlyList<ComputedPeriod>? history = null,
        IReadOnlyList<CompletionFact>? completions = null,
        DateTime? resultsFrom = null)
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

        // Completion records count as results do: up to now, and not after a withdrawal.
        var records = (completions ?? [])
            .Where(c => c.CompletedAt <= now && (withdrawnAt is not { } cut || c.CompletedAt <= cut))
            .OrderBy(c => c.CompletedAt).ThenBy(c => c.Id)
            .ToList();
        // A period a revoked record completed is derived again, and so is every period after it: their windows followed
        // from its completion.
        var recordsById = records.ToDictionary(c => c.Id);
        var completedHistory = (history ?? []).Where(p => p.CompletedAt is not null).ToList();
        int? rederivedFrom = completedHistory
            .Where(p => p.CompletionRecordId is { } id && !recordsById.ContainsKey(id))
            .Select(p => (int?)p.Number)
            .Min();
        var recorded = completedHistory
            .Where(p => p.Number < (rederivedFrom ?? int.MaxValue))
            .Select(p => p.CompletionRecordId is { } id ? p with { Evidence = recordsById[id].Evidence } : p)
            .ToDictionary(p => p.Number);
        var firstWindow = FirstWindowStart(facts.AssignedAt, facts.GraceDays, terms.EffectiveFrom, calendar);
        var (periods, current, rederived, partial) = ReplayPeriods(terms, known, records, firstWindow, now, withdrawnAt, calendar, recorded, resultsFrom ?? DateTime.MinValue);

        // Once a recorded period was derived again, the renewal chain after it is the replay's: a recorded period it no
        // longer reaches (the window before it now opens after now, or after the withdrawal) is gone.
        if (rederived && terms.Renewal is not null && completedHistory.Exists(p => p.Number > periods.Count))
        {
            rederivedFrom = Math.Min(rederivedFrom ?? int.MaxValue, periods.Count + 1);
        }

        var lastCompleted = periods.LastOrDefault(p => p.CompletedAt is not null);
        var dueDate = DueDateOf(terms, facts);
        DateTime? dueAt = dueDate is { } due ? calendar.EndOfDay(due) : null;
        var expiresAt = lastCompleted?.ExpiresAt;
        DateTime? windowOpensAt = expiresAt is { } e && terms.Renewal is { } policy ? RenewalRules.WindowOpensAt(e, policy.WindowDays) : null;
        var exemption = facts.Exemption is { } x && x.Since <= now ? x : null;
        DateTime? exemptUntil = exemption?.Until is { } until ? calendar.EndOfDay(until) : null;
        var exempt = exemption is not null && (exemptUntil is null || now < exemptUntil);

        var status = exempt && withdrawnAt is null
            ? AssignmentStatus.Exempt
            : StatusAt(terms, current, lastCompleted, now, withdrawnAt, dueAt, windowOpensAt, calendar);
        Func<string> describe = status == AssignmentStatus.Exempt
            ? () => ExemptSummary(exemption!, calendar)
            : () => Summarise(status, terms, dueDate, current, lastCompleted, withdrawnAt, windowOpensAt, calendar);
        var next = NextTransitionAt(terms, lastCompleted, now, withdrawnAt, dueAt, windowOpensAt, calendar);
        if (exempt && withdrawnAt is null && exemptUntil is { } ends && (next is null || ends < next))
        {
            next = ends;
        }

        return new AssignmentStanding(status, periods, current, dueAt, expiresAt, windowOpensAt, describe, next)
        {
            RederivedFrom = rederivedFrom,
            NeedsEarlierResults = partial,
        };
    }

    /// <summary>The learner's own due date when an admin set one, else the certification's when it is one-time.</summary>
    public static DateOnly? DueDateOf(CertificationTerms terms, AssignmentFacts facts)
    {
        ArgumentNullException.ThrowIfNull(terms);
        ArgumentNullException.ThrowIfNull(facts);
        return facts.DueDate ?? (terms.Renewal is null ? terms.DueDate : null);
    }

    private static string ExemptSummary(Exemption exemption, OrganisationCalendar calendar) =>
        $"Exempt since {ProgressText.Date(exemption.Since, calendar)}"
        + (exemption.Until is { } until ? $" until {ProgressText.Date(until)}" : "")
        + $" by {exemption.By}: {exemption.Reason}";

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
            return dueAt is { } due && now < due ? due : null;
        }

        // From the window opening the next period is open (Expiring soon); at expiry Renewal due.
        return terms.Renewal is null ? null
            : now < windowOpensAt ? windowOpensAt
            : now < lastCompleted.ExpiresAt ? lastCompleted.ExpiresAt
            : null;
    }

    /// <param name="resultsFrom">The instant from which the results were read: a recorded period whose window opens before it stands as recorded.</param>
    /// <returns>The periods, the evaluation of the last window, whether a recorded period was derived again, and whether a window opening before <paramref name="resultsFrom"/> had to be evaluated.</returns>
    private static (List<ComputedPeriod> Periods, ProgressEvaluation Current, bool Rederived, bool Partial) ReplayPeriods(
        CertificationTerms terms,
        ProgressRules.CanonicalResults known,
        List<CompletionFact> records,
        DateTime windowStart,
        DateTime now,
        DateTime? withdrawnAt,
        OrganisationCalendar calendar,
        Dictionary<int, ComputedPeriod> recorded,
        DateTime resultsFrom)
    {
        var periods = new List<ComputedPeriod>();
        ExpiryPlacement? placement = null;

        // Once a recorded period is re-derived from the results, the windows after it follow the new chain, so the
        // periods recorded after it are re-derived too whenever the results still complete them.
        var rederived = false;

        // A window opening before the results read: its recorded period stands as recorded; a period derived there
        // from the results read would be partial. The last window's evaluation may be partial all the same: the
        // status, periods and next transition never read it once a period is complete (see AssignmentStanding).
        var partial = false;
        (List<ComputedPeriod>, ProgressEvaluation, bool, bool) Ending(ProgressEvaluation evaluation) => (periods, evaluation, rederived, partial);

        // Terminates: each renewal window opens after the completion before it, and a completion needs a result in its window.
        while (true)
        {
            var number = periods.Count + 1;
            var unread = windowStart < resultsFrom;
            if (unread && recorded.TryGetValue(number, out var standing) && !rederived)
            {
                // Its results were not read, and no fact before them changed since it was recorded: it stands.
                periods.Add(standing);
                if (NextWindowAfterRecorded(terms, standing, now, withdrawnAt, calendar, ref placement, periods) is not { } next)
                {
                    return Ending(ProgressRules.Evaluate(terms.Courses, terms.MinimumPassingGrade, windowStart, known, calendar, withdrawnAt));
                }

                windowStart = next;
                continue;
            }

            partial |= unread;
            var evaluation = ProgressRules.Evaluate(terms.Courses, terms.MinimumPassingGrade, windowStart, known, calendar, withdrawnAt);

            // The first period takes a record from before its window: history from before the learner was assigned. A
            // record completes a period after the one before it, never the same one twice.
            var floor = number == 1 ? DateTime.MinValue : windowStart;
            var previousCompletion = periods.Count == 0 ? DateTime.MinValue : periods[^1].CompletedAt!.Value;
            var record = records.Find(r => r.CompletedAt >= floor && r.CompletedAt > previousCompletion);
            var byRecord = record is not null && (evaluation.CompletedAt is not { } byResults || record.CompletedAt < byResults);
            DateTime? completion = byRecord ? record!.CompletedAt : evaluation.CompletedAt;
            if (recorded.TryGetValue(number, out var kept) && KeepsRecord(kept, windowStart, completion, byRecord ? record!.Id : null, rederived))
            {
                periods.Add(evaluation.CompletedAt == kept.CompletedAt
                    ? WithGradesFromResults(kept, GradesAt(terms, known, windowStart, kept.CompletedAt!.Value, withdrawnAt, calendar))
                    : kept);
                if (NextWindowAfterRecorded(terms, periods[^1], now, withdrawnAt, calendar, ref placement, periods) is not { } next)
                {
                    return Ending(evaluation);
                }

                windowStart = next;
                continue;
            }

            rederived |= kept is not null;
            if (byRecord)
            {
                var (period, recordPlacement) = RecordedPeriod(terms, number, windowStart, record!, placement, calendar);
                periods.Add(period);
                if (recordPlacement is null)
                {
                    return Ending(evaluation);
                }

                placement = recordPlacement;
                if (WindowAfter(record!.CompletedAt, placement.ExpiresAt, terms.Renewal!.WindowDays, now, withdrawnAt) is not { } afterRecord)
                {
                    return Ending(evaluation);
                }

                windowStart = afterRecord;
                continue;
            }

            if (evaluation.CompletedAt is not { } completedAt)
            {
                periods.Add(new ComputedPeriod(number, windowStart, null, null, null, 0, NoGrades));
                return Ending(evaluation);
            }

            var grades = GradesAt(terms, known, windowStart, completedAt, withdrawnAt, calendar);
            if (terms.Renewal is not { } policy)
            {
                periods.Add(new ComputedPeriod(number, windowStart, completedAt, null, null, 0, grades));
                return Ending(evaluation);
            }

            placement = RenewalRules.PlaceExpiry(policy, completedAt, placement, calendar);
            periods.Add(new ComputedPeriod(number, windowStart, completedAt, placement.ExpiresAt, placement.ChainStart, placement.ChainIndex, grades));

            var nextWindow = RenewalRules.WindowOpensAt(placement.ExpiresAt, policy.WindowDays);
            if (now < nextWindow || (withdrawnAt is { } withdrawn && nextWindow > withdrawn))
            {
                return Ending(evaluation);
            }

            windowStart = nextWindow;
        }
    }

    /// <summary>
    /// After a recorded period that stands: its expiry placed when it had none (a completion recorded while the
    /// certification was one-time: renewal turned on since dates it from that completion, as if it had always renewed),
    /// and the instant the next window opens, or null when the replay ends with it (one-time, the window still to open
    /// at now, or opening after the withdrawal).
    /// </summary>
    private static DateTime? NextWindowAfterRecorded(
        CertificationTerms terms, ComputedPeriod kept, DateTime now, DateTime? withdrawnAt, OrganisationCalendar calendar, ref ExpiryPlacement? placement, List<ComputedPeriod> periods)
    {
        if (terms.Renewal is not { } policy)
        {
            return null;
        }

        placement = kept.ExpiresAt is { } recordedExpiry
            ? new ExpiryPlacement(kept.ChainStart ?? kept.CompletedAt!.Value, kept.ChainIndex, recordedExpiry)
            : RenewalRules.PlaceExpiry(policy, kept.CompletedAt!.Value, null, calendar);
        if (kept.ExpiresAt is null)
        {
            periods[^1] = kept with { ExpiresAt = placement.ExpiresAt, ChainStart = placement.ChainStart, ChainIndex = placement.ChainIndex };
        }

        return WindowAfter(kept.CompletedAt!.Value, placement.ExpiresAt, policy.WindowDays, now, withdrawnAt);
    }

    /// <summary>
    /// The window after a period a record completed or that stands as recorded: it opens <paramref name="windowDays"/>
    /// before the expiry, but never before the completion (an expiry the record gave can open it earlier; results count
    /// from the completion on). Null when the replay ends there: the window is still to open at now, or opens after the
    /// withdrawal.
    /// </summary>
    private static DateTime? WindowAfter(DateTime completedAt, DateTime expiresAt, int windowDays, DateTime now, DateTime? withdrawnAt)
    {
        var opens = RenewalRules.WindowOpensAt(expiresAt, windowDays);
        var window = opens > completedAt ? opens : completedAt;
        return now < window || (withdrawnAt is { } withdrawn && window > withdrawn) ? null : window;
    }

    /// <summary>
    /// A recorded period stands while the results and completion records do not complete it earlier: they complete it
    /// later or not at all only when the terms changed since (a higher minimum, another course), and history is not
    /// rewritten for that. When a period before it was re-derived, its window moved, and only a later completion keeps
    /// the record, and only while the window did not move later: a completion record's own expiry, or results that
    /// replace a record with one, can end the period before it later than recorded, and then what completed this one
    /// may lie before its window now (a full replay would never have completed it so).
    /// </summary>
    private static bool KeepsRecord(ComputedPeriod kept, DateTime windowStart, DateTime? completion, long? completionRecordId, bool rederived) =>
        !(rederived && windowStart > kept.WindowStart)
        && (completion is not { } completedAt
            || completedAt > kept.CompletedAt
            || (completedAt == kept.CompletedAt && kept.CompletionRecordId == completionRecordId && !rederived));

    /// <summary>
    /// The period a completion record completes: no course grades (no results made it), its window opening at the
    /// record when the record comes before it (imported history), its expiry the one the record gives or else placed by
    /// the renewal terms as a result's completion would be. The placement is null for a one-time certification.
    /// </summary>
    private static (ComputedPeriod Period, ExpiryPlacement? Placement) RecordedPeriod(
        CertificationTerms terms, int number, DateTime windowStart, CompletionFact record, ExpiryPlacement? previous, OrganisationCalendar calendar)
    {
        var start = record.CompletedAt < windowStart ? record.CompletedAt : windowStart;
        ExpiryPlacement? placement = terms.Renewal is not { } policy ? null
            // A given expiry starts a chain of its own: the next expiry is a period after it.
            : record.ExpiresAt is { } given && given > record.CompletedAt ? new ExpiryPlacement(given, 0, given)
            : RenewalRules.PlaceExpiry(policy, record.CompletedAt, previous, calendar);
        var period = new ComputedPeriod(number, start, record.CompletedAt, placement?.ExpiresAt, placement?.ChainStart, placement?.ChainIndex ?? 0, NoGrades)
        {
            Source = record.Source,
            CompletionRecordId = record.Id,
            Evidence = record.Evidence,
        };
        return (period, placement);
    }

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
            return now >= dueAt ? AssignmentStatus.Overdue
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
        DateOnly? dueDate,
        ProgressEvaluation current,
        ComputedPeriod? lastCompleted,
        DateTime? withdrawnAt,
        DateTime? windowOpensAt,
        OrganisationCalendar calendar)
    {
        var progress = $"{current.CoursesSatisfied} of {ProgressText.Courses(current.CoursesRequired)} satisfied";
        var due = dueDate is { } date && (terms.Renewal is null || lastCompleted is null) ? ProgressText.Date(date) : null;
        var dueClause = due is null ? "" : $"; due {due}";
        string On(DateTime? utc) => ProgressText.Date(utc!.Value, calendar);
        var source = lastCompleted is null ? "" : SourceClause(lastCompleted);

        return status switch
        {
            AssignmentStatus.Scheduled => $"Scheduled to start on {ProgressText.Date(terms.EffectiveFrom)}{dueClause}.",
            AssignmentStatus.NotStarted => $"Not started: {progress}{dueClause}.",
            AssignmentStatus.InProgress => $"In progress: {progress}{dueClause}.",
            AssignmentStatus.Overdue => $"Overdue: due {due} and {progress}.",
            AssignmentStatus.Completed when withdrawnAt is not null =>
                $"Completed on {On(lastCompleted?.CompletedAt)}; the assignment was withdrawn on {On(withdrawnAt)}.",
            AssignmentStatus.Completed => $"Completed on {On(lastCompleted?.CompletedAt)}{source}.",
            AssignmentStatus.Certified when withdrawnAt is not null =>
                $"Certified until {On(lastCompleted?.ExpiresAt)}; the assignment was withdrawn on {On(withdrawnAt)}, so it will not be renewed.",
            AssignmentStatus.Certified => $"Certified until {On(lastCompleted?.ExpiresAt)}{source}; the renewal window opens {On(windowOpensAt)}.",
            AssignmentStatus.ExpiringSoon =>
                $"Expiring on {On(lastCompleted?.ExpiresAt)}: the renewal window is open and {progress} toward the renewal.",
            AssignmentStatus.RenewalDue =>
                $"Renewal due: expired on {On(lastCompleted?.ExpiresAt)}, and {progress} toward the renewal.",
            _ when lastCompleted?.ExpiresAt is { } expired =>
                $"Withdrawn on {On(withdrawnAt)}; the certification expired on {On(expired)}.",
            _ => $"Withdrawn on {On(withdrawnAt)} with {progress}.",
        };
    }

    /// <summary>How a period was completed, when not by results: "completed by admin override: paper certificate".</summary>
    private static string SourceClause(ComputedPeriod period) => period.Source switch
    {
        CompletionSource.AdminOverride => $" (completed by admin override: {period.Evidence})",
        CompletionSource.Imported => period.Evidence is { Length: > 0 } evidence ? $" (imported history: {evidence})" : " (imported history)",
        _ => "",
    };
}
