using Certifications.Core.Certifications;
using Certifications.Core.Progress;
using Certifications.Core.Renewals;
using Certifications.Core.Time;
using static Certifications.Tests.Core.Progress.TestCourses;
using static Certifications.Tests.Core.Time.TestCalendars;

namespace Certifications.Tests.Core.Progress;

/// <summary>Completion records (imported history, admin overrides), exemptions and a learner's own due date, as the rules take them.</summary>
public sealed class CompletionRecordRulesTests
{
    private static readonly DateOnly EffectiveFrom = new(2026, 9, 1);
    private static readonly DateTime Assigned = Utc(2026, 9, 2, 10);
    private static readonly AssignmentFacts Facts = new(Assigned, GraceDays: 0, WithdrawnAt: null);
    private static readonly RenewalPolicy Yearly = new(12, 30, RenewalAnchor.PreviousExpiry);

    private static CertificationTerms OneTime(DateOnly? dueDate = null) => new(EffectiveFrom, dueDate, 70m, Renewal: null, [Safety101]);

    private static CertificationTerms Renewing() => new(EffectiveFrom, DueDate: null, 70m, Yearly, [Safety101]);

    private static CompletionFact Imported(long id, DateTime completedAt, DateTime? expiresAt = null) =>
        new(id, CompletionSource.Imported, completedAt, expiresAt, "Old LMS");

    private static AssignmentStanding Evaluate(
        CertificationTerms terms,
        DateTime now,
        IReadOnlyList<CompletionFact> completions,
        IEnumerable<ResultFact>? results = null,
        AssignmentFacts? facts = null,
        IReadOnlyList<ComputedPeriod>? history = null) =>
        AssignmentRules.Evaluate(terms, facts ?? Facts, results ?? [], now, OrganisationCalendar.Utc, history, completions);

    [Fact]
    public void ImportedHistoryFromBeforeTheAssignmentCompletesTheFirstPeriodAndDrivesTheRenewal()
    {
        var standing = Evaluate(Renewing(), Utc(2026, 9, 10), [Imported(1, Utc(2025, 11, 15, 9))]);

        Assert.Equal(AssignmentStatus.Certified, standing.Status);
        var period = Assert.Single(standing.Periods);
        Assert.Equal(Utc(2025, 11, 15, 9), period.CompletedAt);
        Assert.Equal(Utc(2026, 11, 15, 9), period.ExpiresAt);
        Assert.Equal(CompletionSource.Imported, period.Source);
        Assert.Equal(1, period.CompletionRecordId);
        Assert.Empty(period.CourseGrades);
        Assert.Equal(Utc(2026, 10, 16, 9), standing.WindowOpensAt);
        Assert.Equal(Utc(2026, 10, 16, 9), standing.NextTransitionAt);
        Assert.Equal("Certified until 15 Nov 2026 (imported history: Old LMS); the renewal window opens 16 Oct 2026.", standing.Summary);
    }

    [Fact]
    public void SeveralImportedCompletionsChainLikeRenewalsAndResultsRenewAfterThem()
    {
        var completions = new[] { Imported(1, Utc(2024, 11, 15)), Imported(2, Utc(2025, 11, 1)) };
        var renewal = PassSafety101(Utc(2026, 10, 20));

        var standing = Evaluate(Renewing(), Utc(2026, 11, 1), completions, renewal);

        Assert.Equal([Utc(2024, 11, 15), Utc(2025, 11, 1), Utc(2026, 10, 20)], standing.Periods.Select(p => p.CompletedAt!.Value));
        Assert.Equal([Utc(2025, 11, 15), Utc(2026, 11, 15), Utc(2027, 11, 15)], standing.Periods.Select(p => p.ExpiresAt!.Value));
        Assert.Equal(
            [CompletionSource.Imported, CompletionSource.Imported, CompletionSource.Results],
            standing.Periods.Select(p => p.Source));
        Assert.Equal(AssignmentStatus.Certified, standing.Status);
    }

    [Fact]
    public void AnExpiryGivenWithTheImportReplacesThePlacedOneAndTheNextIsAPeriodAfterIt()
    {
        var completions = new[] { Imported(1, Utc(2025, 11, 15), expiresAt: Utc(2026, 12, 31)) };

        var certified = Evaluate(Renewing(), Utc(2026, 9, 10), completions);
        var renewed = Evaluate(Renewing(), Utc(2026, 12, 10), completions, PassSafety101(Utc(2026, 12, 5)));

        Assert.Equal(Utc(2026, 12, 31), Assert.Single(certified.Periods).ExpiresAt);
        Assert.Equal(Utc(2027, 12, 31), renewed.Periods[^1].ExpiresAt);
    }

    [Fact]
    public void AnAdminOverrideCompletesAOneTimeCertificationAndSaysSo()
    {
        var standing = Evaluate(OneTime(), Utc(2026, 9, 10), [new CompletionFact(7, CompletionSource.AdminOverride, Utc(2026, 9, 8), null, "Paper certificate")]);

        Assert.Equal(AssignmentStatus.Completed, standing.Status);
        Assert.Equal("Completed on 8 Sep 2026 (completed by admin override: Paper certificate).", standing.Summary);
    }

    [Fact]
    public void ResultsThatCompleteThePeriodEarlierThanTheRecordWin()
    {
        var standing = Evaluate(OneTime(), Utc(2026, 9, 20), [Imported(1, Utc(2026, 9, 15))], PassSafety101(Utc(2026, 9, 5)));

        var period = Assert.Single(standing.Periods);
        Assert.Equal(Utc(2026, 9, 5), period.CompletedAt);
        Assert.Equal(CompletionSource.Results, period.Source);
    }

    [Fact]
    public void ARecordNotYetCompletedAtNowDoesNotCount()
    {
        var standing = Evaluate(OneTime(), Utc(2026, 9, 10), [Imported(1, Utc(2026, 9, 15))]);

        Assert.Equal(AssignmentStatus.NotStarted, standing.Status);
    }

    [Fact]
    public void APeriodARevokedRecordCompletedIsDerivedAgainFromTheResults()
    {
        var record = new CompletionFact(7, CompletionSource.AdminOverride, Utc(2026, 9, 8), null, "Paper certificate");
        var recorded = Evaluate(OneTime(), Utc(2026, 9, 10), [record]);

        var revoked = Evaluate(OneTime(), Utc(2026, 9, 12), [], history: recorded.Periods);
        var kept = Evaluate(OneTime(), Utc(2026, 9, 12), [record], history: recorded.Periods);

        Assert.Equal(AssignmentStatus.NotStarted, revoked.Status);
        Assert.Null(Assert.Single(revoked.Periods).CompletedAt);
        Assert.Equal(AssignmentStatus.Completed, kept.Status);
        Assert.Contains("Paper certificate", kept.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void AnEarlierRecordWithALaterExpiryDerivesTheRenewalsAfterItAgainAsAFullReplayWould()
    {
        // Two imported periods and a renewal by results are on record: the renewal window opened 16 Oct 2027.
        var first = Imported(1, Utc(2025, 11, 15));
        var second = Imported(3, Utc(2026, 10, 25));
        var renewal = PassSafety101(Utc(2027, 10, 20));
        var recorded = Evaluate(Renewing(), Utc(2027, 11, 1), [first, second], renewal);
        Assert.Equal([Utc(2025, 11, 15), Utc(2026, 10, 25), Utc(2027, 10, 20)], recorded.Periods.Select(p => p.CompletedAt!.Value));

        // An earlier second completion comes in with its own, later expiry: the next window opens 1 Jan 2028, after the
        // results that renewed it.
        var earlier = Imported(2, Utc(2026, 10, 20), expiresAt: Utc(2028, 1, 31));
        IReadOnlyList<CompletionFact> now = [first, earlier, second];
        var beforeTheWindow = Evaluate(Renewing(), Utc(2027, 12, 1), now, renewal, history: recorded.Periods);
        var inTheWindow = Evaluate(Renewing(), Utc(2028, 1, 10), now, renewal, history: recorded.Periods);

        Assert.Equal(Described(Evaluate(Renewing(), Utc(2027, 12, 1), now, renewal)), Described(beforeTheWindow));
        Assert.Equal(3, beforeTheWindow.RederivedFrom); // The stored renewal is gone.
        Assert.Equal(Described(Evaluate(Renewing(), Utc(2028, 1, 10), now, renewal)), Described(inTheWindow));
        Assert.Equal(AssignmentStatus.ExpiringSoon, inTheWindow.Status);
        Assert.Null(inTheWindow.Periods[^1].CompletedAt);
    }

    [Fact]
    public void ResultsThatTakeARecordsPeriodOverEndItLaterAndTheRecordAfterItNoLongerRenewsIt()
    {
        // An override with a short expiry of its own opened the renewal window at once, and an imported completion renewed it.
        var shortLived = new CompletionFact(1, CompletionSource.AdminOverride, Utc(2026, 9, 10), Utc(2026, 9, 20), "Paper certificate");
        var renewed = Imported(2, Utc(2026, 11, 10));
        IReadOnlyList<CompletionFact> records = [shortLived, renewed];
        var recorded = Evaluate(Renewing(), Utc(2026, 12, 1), records);
        Assert.Equal([Utc(2026, 9, 10), Utc(2026, 11, 10)], recorded.Periods.Select(p => p.CompletedAt!.Value));

        // Results at the override's very instant complete the first period instead, and it now expires a year later.
        var results = PassSafety101(Utc(2026, 9, 10));
        var afterResults = Evaluate(Renewing(), Utc(2026, 12, 1), records, results, history: recorded.Periods);
        var inTheWindow = Evaluate(Renewing(), Utc(2027, 8, 20), records, results, history: recorded.Periods);

        Assert.Equal(Described(Evaluate(Renewing(), Utc(2026, 12, 1), records, results)), Described(afterResults));
        Assert.Equal(2, afterResults.RederivedFrom); // The stored renewal is gone: its window now opens 11 Aug 2027.
        Assert.Equal(Described(Evaluate(Renewing(), Utc(2027, 8, 20), records, results)), Described(inTheWindow));
        Assert.Equal(AssignmentStatus.ExpiringSoon, inTheWindow.Status);
    }

    /// <summary>What a standing stores: its status and each period's window, completion, expiry and source.</summary>
    private static List<string> Described(AssignmentStanding standing) =>
    [
        standing.Status.ToString(),
        .. standing.Periods.Select(p => $"#{p.Number} {p.WindowStart:o} {p.CompletedAt:o} {p.ExpiresAt:o} {p.Source} {p.CompletionRecordId}"),
    ];

    [Fact]
    public void AnExemptLearnerReadsExemptUntilTheEndOfTheExemptionThenAsBefore()
    {
        var facts = Facts with { Exemption = new Exemption(Utc(2026, 9, 5), new DateOnly(2026, 9, 30), "On leave", "admin@example.com") };

        var exempt = Evaluate(OneTime(new DateOnly(2026, 9, 20)), Utc(2026, 9, 25), [], facts: facts);
        var after = Evaluate(OneTime(new DateOnly(2026, 9, 20)), Utc(2026, 10, 1), [], facts: facts);

        Assert.Equal(AssignmentStatus.Exempt, exempt.Status);
        Assert.Equal("Exempt since 5 Sep 2026 until 30 Sep 2026 by admin@example.com: On leave", exempt.Summary);
        Assert.Equal(Utc(2026, 10, 1), exempt.NextTransitionAt);
        Assert.Equal(AssignmentStatus.Overdue, after.Status);
    }

    [Fact]
    public void ALearnersOwnDueDateReplacesTheCertificationsAndAppliesToAFirstRenewingCompletion()
    {
        var extended = Facts with { DueDate = new DateOnly(2026, 10, 31) };

        var oneTime = Evaluate(OneTime(new DateOnly(2026, 9, 20)), Utc(2026, 10, 1), [], facts: extended);
        var renewingBefore = Evaluate(Renewing(), Utc(2026, 10, 1), [], facts: extended);
        var renewingAfter = Evaluate(Renewing(), Utc(2026, 11, 1), [], facts: extended);

        Assert.Equal(AssignmentStatus.NotStarted, oneTime.Status);
        Assert.Equal("Not started: 0 of 1 course satisfied; due 31 Oct 2026.", oneTime.Summary);
        Assert.Equal(Utc(2026, 11, 1), oneTime.NextTransitionAt);
        Assert.Equal(AssignmentStatus.NotStarted, renewingBefore.Status);
        Assert.Equal(AssignmentStatus.Overdue, renewingAfter.Status);
    }
}
