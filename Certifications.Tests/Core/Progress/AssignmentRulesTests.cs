using Certifications.Core.Certifications;
using Certifications.Core.Progress;
using Certifications.Core.Renewals;
using Certifications.Core.Time;
using static Certifications.Tests.Core.Progress.TestCourses;
using static Certifications.Tests.Core.Time.TestCalendars;

namespace Certifications.Tests.Core.Progress;

public sealed class AssignmentRulesTests
{
    private static readonly DateOnly EffectiveFrom = new(2026, 9, 1);
    private static readonly RenewalPolicy Yearly = new(12, 30, RenewalAnchor.PreviousExpiry);

    private static CertificationTerms OneTime(DateOnly? dueDate = null) =>
        new(EffectiveFrom, dueDate, 70m, Renewal: null, [Safety101]);

    private static CertificationTerms Renewing(RenewalPolicy? policy = null) =>
        new(EffectiveFrom, DueDate: null, 70m, policy ?? Yearly, [Safety101]);

    private static AssignmentStanding Evaluate(
        CertificationTerms terms, AssignmentFacts facts, DateTime now, IEnumerable<ResultFact> results, OrganisationCalendar? calendar = null) =>
        AssignmentRules.Evaluate(terms, facts, results, now, calendar ?? OrganisationCalendar.Utc);

    // Bob completes Safety 101; five days later the certification is assigned to him.
    private static readonly DateTime BobCompleted = Utc(2026, 10, 1, 10);
    private static readonly DateTime BobAssigned = Utc(2026, 10, 6, 10);

    [Fact]
    public void WithNoGracePeriodBobMustPlaySafety101Again()
    {
        var facts = new AssignmentFacts(BobAssigned, GraceDays: 0, WithdrawnAt: null);
        var earlier = PassSafety101(BobCompleted, score: 95m);

        var before = Evaluate(OneTime(), facts, BobAssigned.AddHours(1), earlier);

        Assert.Equal(AssignmentStatus.NotStarted, before.Status);
        Assert.All(before.Current.Courses[0].Results, r => Assert.Equal(ResultVerdict.BeforeWindow, r.Verdict));

        var replay = PassSafety101(Utc(2026, 10, 8, 9), score: 85m);
        var after = Evaluate(OneTime(), facts, Utc(2026, 10, 9), [.. earlier, .. replay]);

        Assert.Equal(AssignmentStatus.Completed, after.Status);
        Assert.Equal(Utc(2026, 10, 8, 9), Assert.Single(after.Periods).CompletedAt);
        Assert.Equal(85m, after.Periods[0].CourseGrades[Safety101.CourseId]);
    }

    [Fact]
    public void WithAFiveDayGracePeriodBobsBestGradeCounts()
    {
        var facts = new AssignmentFacts(BobAssigned, GraceDays: 5, WithdrawnAt: null);
        ResultFact[] earlier = [.. PassSafety101(BobCompleted, score: 75m), Result(Quiz1, 95m, BobCompleted.AddMinutes(20))];

        var standing = Evaluate(OneTime(), facts, BobAssigned.AddHours(1), earlier);

        Assert.Equal(AssignmentStatus.Completed, standing.Status);
        var period = Assert.Single(standing.Periods);
        Assert.Equal(BobAssigned.AddDays(-5), period.WindowStart);
        Assert.Equal(BobCompleted, period.CompletedAt);
        Assert.Equal((95m + 75m + 75m) / 3, standing.Current.Courses[0].Grade);
        Assert.Equal("Completed on 1 Oct 2026.", standing.Summary);
    }

    [Fact]
    public void GracePeriodOfFiveDaysCountsAGradeFromFiveDaysBefore()
    {
        var facts = new AssignmentFacts(BobAssigned, GraceDays: 5, WithdrawnAt: null);

        var exactly = Evaluate(OneTime(), facts, BobAssigned, PassSafety101(BobAssigned.AddDays(-5)));
        var oneSecondMore = Evaluate(OneTime(), facts, BobAssigned, PassSafety101(BobAssigned.AddDays(-5).AddSeconds(-1)));

        Assert.Equal(AssignmentStatus.Completed, exactly.Status);
        Assert.Equal(AssignmentStatus.NotStarted, oneSecondMore.Status);
    }

    [Fact]
    public void TheAssignmentStartsAtEffectiveFromInTheOrganisationsZoneWhenAssignedEarlier()
    {
        var start = AssignmentRules.AssignmentStart(Utc(2026, 8, 20), new DateOnly(2026, 9, 1), Paris);

        Assert.Equal(Utc(2026, 8, 31, 22), start);
        Assert.Equal(Utc(2026, 8, 28, 22), AssignmentRules.FirstWindowStart(Utc(2026, 8, 20), 3, new DateOnly(2026, 9, 1), Paris));
    }

    [Fact]
    public void TheAssignmentStartsWhenAssignedAfterEffectiveFrom()
    {
        Assert.Equal(Utc(2026, 9, 10, 8), AssignmentRules.AssignmentStart(Utc(2026, 9, 10, 8), new DateOnly(2026, 9, 1), Paris));
    }

    [Fact]
    public void BeforeEffectiveFromTheAssignmentIsScheduled()
    {
        var facts = new AssignmentFacts(Utc(2026, 8, 20), 0, null);

        var standing = Evaluate(OneTime(new DateOnly(2026, 10, 15)), facts, Utc(2026, 8, 31, 23, 59, 59), []);

        Assert.Equal(AssignmentStatus.Scheduled, standing.Status);
        Assert.Equal("Scheduled to start on 1 Sep 2026; due 15 Oct 2026.", standing.Summary);
        var period = Assert.Single(standing.Periods);
        Assert.Null(period.CompletedAt);
        Assert.Equal(Utc(2026, 9, 1), period.WindowStart);
    }

    [Fact]
    public void AtEffectiveFromWithoutResultsTheAssignmentIsNotStarted()
    {
        var facts = new AssignmentFacts(Utc(2026, 8, 20), 0, null);

        var standing = Evaluate(OneTime(new DateOnly(2026, 10, 15)), facts, Utc(2026, 9, 1), []);

        Assert.Equal(AssignmentStatus.NotStarted, standing.Status);
        Assert.Equal("Not started: 0 of 1 course satisfied; due 15 Oct 2026.", standing.Summary);
        Assert.Equal(Utc(2026, 10, 16), standing.DueAt);
    }

    [Fact]
    public void OneCountedResultPutsTheAssignmentInProgress()
    {
        var facts = new AssignmentFacts(Utc(2026, 9, 2), 0, null);

        var standing = Evaluate(OneTime(), facts, Utc(2026, 9, 4), [Result(Quiz1, 40m, Utc(2026, 9, 3))]);

        Assert.Equal(AssignmentStatus.InProgress, standing.Status);
        Assert.Equal("In progress: 0 of 1 course satisfied.", standing.Summary);
        Assert.Equal(0, standing.CoursesSatisfied);
        Assert.Equal(1, standing.CoursesRequired);
    }

    [Fact]
    public void AnUngradedResultAloneDoesNotStartTheAssignment()
    {
        var facts = new AssignmentFacts(Utc(2026, 9, 2), 0, null);

        var standing = Evaluate(OneTime(), facts, Utc(2026, 9, 4), [Result(Video, 100m, Utc(2026, 9, 3))]);

        Assert.Equal(AssignmentStatus.NotStarted, standing.Status);
    }

    [Theory]
    [InlineData("America/New_York", "2026-10-16T03:59:59", "2026-10-16T04:00:00")]
    [InlineData("Europe/Paris", "2026-10-15T21:59:59", "2026-10-15T22:00:00")]
    public void AOneTimeCertificationIsOverdueFromTheDayAfterItsDueDateInTheOrganisationsZone(string zone, string lastDueInstant, string overdueInstant)
    {
        var calendar = In(zone);
        var facts = new AssignmentFacts(Utc(2026, 9, 2), 0, null);
        var terms = new CertificationTerms(EffectiveFrom, new DateOnly(2026, 10, 15), 70m, null, [Safety101, FirstAid]);
        var results = PassSafety101(Utc(2026, 9, 10));
        var last = DateTime.SpecifyKind(DateTime.Parse(lastDueInstant, System.Globalization.CultureInfo.InvariantCulture), DateTimeKind.Utc);
        var overdue = DateTime.SpecifyKind(DateTime.Parse(overdueInstant, System.Globalization.CultureInfo.InvariantCulture), DateTimeKind.Utc);

        var onDueDate = Evaluate(terms, facts, last, results, calendar);
        var dayAfter = Evaluate(terms, facts, overdue, results, calendar);

        Assert.Equal(AssignmentStatus.InProgress, onDueDate.Status);
        Assert.Equal(AssignmentStatus.Overdue, dayAfter.Status);
        Assert.Equal(overdue, dayAfter.DueAt);
        Assert.Equal("Overdue: due 15 Oct 2026 and 1 of 2 courses satisfied.", dayAfter.Summary);
    }

    [Fact]
    public void CompletingAfterTheDueDateStillCompletes()
    {
        var facts = new AssignmentFacts(Utc(2026, 9, 2), 0, null);

        var standing = Evaluate(OneTime(new DateOnly(2026, 10, 15)), facts, Utc(2026, 11, 1), PassSafety101(Utc(2026, 10, 20)));

        Assert.Equal(AssignmentStatus.Completed, standing.Status);
    }

    [Fact]
    public void ARenewingCertificationHasNoDueDate()
    {
        var facts = new AssignmentFacts(Utc(2026, 9, 2), 0, null);
        var terms = Renewing() with { DueDate = new DateOnly(2026, 10, 15) };

        var standing = Evaluate(terms, facts, Utc(2027, 1, 1), []);

        Assert.Equal(AssignmentStatus.NotStarted, standing.Status);
        Assert.Null(standing.DueAt);
    }

    [Fact]
    public void ARenewedCertificationIsCertifiedUntilItsRenewalWindowOpens()
    {
        var facts = new AssignmentFacts(Utc(2026, 9, 2), 0, null);
        var results = PassSafety101(Utc(2027, 3, 31, 10));

        var standing = Evaluate(Renewing(), facts, Utc(2027, 4, 1), results);

        Assert.Equal(AssignmentStatus.Certified, standing.Status);
        Assert.Equal(Utc(2028, 3, 31, 10), standing.ExpiresAt);
        Assert.Equal(Utc(2028, 3, 1, 10), standing.WindowOpensAt);
        Assert.Equal("Certified until 31 Mar 2028; the renewal window opens 1 Mar 2028.", standing.Summary);
        var period = Assert.Single(standing.Periods);
        Assert.Equal((1, Utc(2027, 3, 31, 10), 1), (period.Number, period.ChainStart!.Value, period.ChainIndex));
    }

    [Fact]
    public void OnceTheRenewalWindowOpensTheCertificationIsExpiringSoonWithANewOpenPeriod()
    {
        var facts = new AssignmentFacts(Utc(2026, 9, 2), 0, null);

        var standing = Evaluate(Renewing(), facts, Utc(2027, 9, 20), PassSafety101(Utc(2026, 10, 1, 10)));

        Assert.Equal(AssignmentStatus.ExpiringSoon, standing.Status);
        Assert.Equal(2, standing.Periods.Count);
        var open = standing.Periods[1];
        Assert.Equal((2, Utc(2027, 9, 1, 10), (DateTime?)null), (open.Number, open.WindowStart, open.CompletedAt));
        Assert.Equal(Utc(2027, 9, 1, 10), standing.Current.WindowStart);
        Assert.Equal(Utc(2027, 10, 1, 10), standing.ExpiresAt);
        Assert.Equal("Expiring on 1 Oct 2027: the renewal window is open and 0 of 1 course satisfied toward the renewal.", standing.Summary);
    }

    [Fact]
    public void AtExpiryWithoutRenewalTheRenewalIsDue()
    {
        var facts = new AssignmentFacts(Utc(2026, 9, 2), 0, null);

        var standing = Evaluate(Renewing(), facts, Utc(2027, 10, 1, 10), PassSafety101(Utc(2026, 10, 1, 10)));

        Assert.Equal(AssignmentStatus.RenewalDue, standing.Status);
        Assert.Equal("Renewal due: expired on 1 Oct 2027, and 0 of 1 course satisfied toward the renewal.", standing.Summary);
    }

    [Fact]
    public void ARenewalReplayedDuringTheWindowStartsPeriodTwoAndKeepsTheAnniversary()
    {
        var facts = new AssignmentFacts(Utc(2026, 3, 1), 0, null);
        var terms = Renewing() with { EffectiveFrom = new DateOnly(2026, 3, 1) };
        ResultFact[] results = [.. PassSafety101(Utc(2026, 3, 31, 10), score: 80m), .. PassSafety101(Utc(2027, 3, 10, 15), score: 95m)];

        var standing = Evaluate(terms, facts, Utc(2027, 3, 20), results);

        Assert.Equal(AssignmentStatus.Certified, standing.Status);
        Assert.Equal(2, standing.Periods.Count);
        var renewal = standing.Periods[1];
        Assert.Equal(2, renewal.Number);
        Assert.Equal(Utc(2027, 3, 1, 10), renewal.WindowStart);
        Assert.Equal(Utc(2027, 3, 10, 15), renewal.CompletedAt);
        Assert.Equal(Utc(2026, 3, 31, 10), renewal.ChainStart);
        Assert.Equal(2, renewal.ChainIndex);
        Assert.Equal(Utc(2028, 3, 31, 10), renewal.ExpiresAt);
        Assert.Equal(95m, renewal.CourseGrades[Safety101.CourseId]);
        Assert.Equal(80m, standing.Periods[0].CourseGrades[Safety101.CourseId]);
        Assert.Equal(Utc(2028, 3, 31, 10), standing.ExpiresAt);
    }

    [Fact]
    public void AReplayBeforeTheWindowOpensDoesNotRenew()
    {
        var facts = new AssignmentFacts(Utc(2026, 3, 1), 0, null);
        var terms = Renewing() with { EffectiveFrom = new DateOnly(2026, 3, 1) };
        ResultFact[] results = [.. PassSafety101(Utc(2026, 3, 31, 10)), .. PassSafety101(Utc(2027, 2, 28, 10))];

        var standing = Evaluate(terms, facts, Utc(2027, 3, 20), results);

        Assert.Equal(AssignmentStatus.ExpiringSoon, standing.Status);
        Assert.Null(standing.Periods[1].CompletedAt);
        Assert.All(standing.Current.Courses[0].Results.Where(r => r.Result.CompletedAt.Year == 2027), r => Assert.Equal(ResultVerdict.BeforeWindow, r.Verdict));
    }

    [Fact]
    public void ARenewalAfterTheCertificationLapsedStartsANewChain()
    {
        var facts = new AssignmentFacts(Utc(2026, 3, 1), 0, null);
        var terms = Renewing() with { EffectiveFrom = new DateOnly(2026, 3, 1) };
        ResultFact[] results = [.. PassSafety101(Utc(2026, 3, 31, 10)), Result(Quiz1, 90m, Utc(2027, 3, 15)), Result(Quiz2, 90m, Utc(2027, 3, 16)), Result(FinalTest, 90m, Utc(2027, 4, 20, 8))];

        var lapsed = Evaluate(terms, facts, Utc(2027, 4, 10), results);
        var renewed = Evaluate(terms, facts, Utc(2027, 4, 21), results);

        Assert.Equal(AssignmentStatus.RenewalDue, lapsed.Status);
        Assert.Equal(AssignmentStatus.Certified, renewed.Status);
        var renewal = renewed.Periods[1];
        Assert.Equal((Utc(2027, 4, 20, 8), 1, Utc(2028, 4, 20, 8)), (renewal.ChainStart!.Value, renewal.ChainIndex, renewal.ExpiresAt!.Value));
    }

    [Fact]
    public void WithTheCompletionDateAnchorAnEarlyRenewalCountsFromTheRenewal()
    {
        var facts = new AssignmentFacts(Utc(2026, 3, 1), 0, null);
        var terms = Renewing(Yearly with { Anchor = RenewalAnchor.CompletionDate }) with { EffectiveFrom = new DateOnly(2026, 3, 1) };
        ResultFact[] results = [.. PassSafety101(Utc(2026, 3, 31, 10)), .. PassSafety101(Utc(2027, 3, 10, 15))];

        var standing = Evaluate(terms, facts, Utc(2027, 3, 20), results);

        Assert.Equal(Utc(2028, 3, 10, 15), standing.ExpiresAt);
        Assert.Equal(1, standing.Periods[1].ChainIndex);
    }

    [Fact]
    public void AMonthlyChainInNewYorkRenewsOnTheLastDayOfEachMonth()
    {
        var calendar = NewYork;
        var facts = new AssignmentFacts(Utc(2027, 1, 1), 0, null);
        var terms = Renewing(new RenewalPolicy(1, 10, RenewalAnchor.PreviousExpiry)) with { EffectiveFrom = new DateOnly(2027, 1, 1) };
        var chainStart = calendar.ToUtc(new DateTime(2027, 1, 31, 18, 0, 0));
        var results = new[] { chainStart, Utc(2027, 2, 25), Utc(2027, 3, 25), Utc(2027, 4, 25) }.SelectMany(t => PassSafety101(t));

        var standing = Evaluate(terms, facts, Utc(2027, 5, 1), results, calendar);

        var expiries = standing.Periods.Select(p => p.ExpiresAt is { } e ? calendar.ToLocal(e) : (DateTime?)null);
        Assert.Equal<DateTime?>(
            [new DateTime(2027, 2, 28, 18, 0, 0), new DateTime(2027, 3, 31, 18, 0, 0), new DateTime(2027, 4, 30, 18, 0, 0), new DateTime(2027, 5, 31, 18, 0, 0)],
            expiries);
        Assert.All(standing.Periods, p => Assert.Equal(chainStart, p.ChainStart));
        Assert.Equal(AssignmentStatus.Certified, standing.Status);
    }

    [Fact]
    public void GradesOfACompletedPeriodAreTheGradesAtCompletion()
    {
        var facts = new AssignmentFacts(Utc(2026, 9, 2), 0, null);
        ResultFact[] results = [.. PassSafety101(Utc(2026, 9, 10), score: 75m), Result(FinalTest, 100m, Utc(2026, 9, 20))];

        var standing = Evaluate(OneTime(), facts, Utc(2026, 10, 1), results);

        Assert.Equal(75m, standing.Periods[0].CourseGrades[Safety101.CourseId]);
        Assert.Equal((75m + 75m + 100m) / 3, standing.Current.Courses[0].Grade);
    }

    [Fact]
    public void ResultsAfterNowAreIgnored()
    {
        var facts = new AssignmentFacts(Utc(2026, 9, 2), 0, null);

        var standing = Evaluate(OneTime(), facts, Utc(2026, 9, 9), PassSafety101(Utc(2026, 9, 10)));

        Assert.Equal(AssignmentStatus.NotStarted, standing.Status);
        Assert.Empty(standing.Current.Courses[0].Results);
    }

    [Fact]
    public void AWithdrawnAssignmentStopsCountingResults()
    {
        var facts = new AssignmentFacts(Utc(2026, 9, 2), 0, WithdrawnAt: Utc(2026, 9, 5));
        var results = new[] { Result(Quiz1, 90m, Utc(2026, 9, 3)), Result(Quiz2, 90m, Utc(2026, 9, 6)), Result(FinalTest, 90m, Utc(2026, 9, 6)) };

        var standing = Evaluate(OneTime(), facts, Utc(2026, 9, 10), results);

        Assert.Equal(AssignmentStatus.Withdrawn, standing.Status);
        Assert.Equal(2, standing.Current.Courses[0].Results.Count(r => r.Verdict == ResultVerdict.AfterWithdrawal));
        Assert.Equal("Withdrawn on 5 Sep 2026 with 0 of 1 course satisfied.", standing.Summary);
    }

    [Fact]
    public void AWithdrawalBeforeEffectiveFromReadsAsWithdrawnNotScheduled()
    {
        var facts = new AssignmentFacts(Utc(2026, 8, 1), 0, WithdrawnAt: Utc(2026, 8, 10));

        Assert.Equal(AssignmentStatus.Withdrawn, Evaluate(OneTime(), facts, Utc(2026, 8, 20), []).Status);
    }

    [Fact]
    public void AWithdrawalStampedAfterNowHasNotHappenedYet()
    {
        var facts = new AssignmentFacts(Utc(2026, 9, 2), 0, WithdrawnAt: Utc(2026, 9, 20));

        Assert.Equal(AssignmentStatus.NotStarted, Evaluate(OneTime(), facts, Utc(2026, 9, 10), []).Status);
    }

    [Fact]
    public void AOneTimeCompletionSurvivesWithdrawal()
    {
        var facts = new AssignmentFacts(Utc(2026, 9, 2), 0, WithdrawnAt: Utc(2026, 9, 20));

        var standing = Evaluate(OneTime(), facts, Utc(2026, 10, 1), PassSafety101(Utc(2026, 9, 10)));

        Assert.Equal(AssignmentStatus.Completed, standing.Status);
    }

    [Fact]
    public void AWithdrawnRenewingCertificationStaysCertifiedUntilExpiryAndOpensNoRenewal()
    {
        var facts = new AssignmentFacts(Utc(2026, 9, 2), 0, WithdrawnAt: Utc(2027, 1, 15));
        ResultFact[] results = [.. PassSafety101(Utc(2026, 10, 1, 10)), .. PassSafety101(Utc(2027, 9, 15))];

        var inWindow = Evaluate(Renewing(), facts, Utc(2027, 9, 20), results);
        var afterExpiry = Evaluate(Renewing(), facts, Utc(2027, 10, 2), results);

        Assert.Equal(AssignmentStatus.Certified, inWindow.Status);
        Assert.Single(inWindow.Periods);
        Assert.Equal("Certified until 1 Oct 2027; the assignment was withdrawn on 15 Jan 2027, so it will not be renewed.", inWindow.Summary);
        Assert.Equal(AssignmentStatus.Withdrawn, afterExpiry.Status);
        Assert.Equal("Withdrawn on 15 Jan 2027; the certification expired on 1 Oct 2027.", afterExpiry.Summary);
    }

    [Fact]
    public void ARenewalWindowWiderThanHalfThePeriodIsRefused()
    {
        var terms = Renewing(new RenewalPolicy(1, 30, RenewalAnchor.PreviousExpiry));

        Assert.Throws<ArgumentOutOfRangeException>(() => Evaluate(terms, new AssignmentFacts(Utc(2026, 9, 2), 0, null), Utc(2026, 9, 3), []));
    }
}

public sealed class AssignmentHistoryTests
{
    private static readonly DateOnly EffectiveFrom = new(2026, 9, 1);
    private static readonly DateTime Assigned = Utc(2026, 9, 1, 9);

    private static CertificationTerms OneTime(decimal minimum) => new(EffectiveFrom, null, minimum, Renewal: null, [Safety101]);

    [Fact]
    public void RaisingTheMinimumGradeLaterNeverTakesARecordedCompletionAway()
    {
        var facts = new AssignmentFacts(Assigned, GraceDays: 0, WithdrawnAt: null);
        var results = PassSafety101(Utc(2026, 9, 10, 9), score: 75m);
        var now = Utc(2026, 10, 1);
        var recorded = AssignmentRules.Evaluate(OneTime(70m), facts, results, now, OrganisationCalendar.Utc);
        Assert.Equal(AssignmentStatus.Completed, recorded.Status);

        var withoutHistory = AssignmentRules.Evaluate(OneTime(90m), facts, results, now, OrganisationCalendar.Utc);
        var withHistory = AssignmentRules.Evaluate(OneTime(90m), facts, results, now, OrganisationCalendar.Utc, recorded.Periods);

        Assert.Equal(AssignmentStatus.InProgress, withoutHistory.Status);
        Assert.Equal(AssignmentStatus.Completed, withHistory.Status);
        Assert.Equal(recorded.Periods, withHistory.Periods);
    }

    [Fact]
    public void ResultsArrivingLateMoveARecordedCompletionEarlierAsIfTheyHadArrivedInOrder()
    {
        var facts = new AssignmentFacts(Assigned, GraceDays: 0, WithdrawnAt: null);
        var late = PassSafety101(Utc(2026, 9, 5, 9), score: 80m);
        var first = PassSafety101(Utc(2026, 9, 20, 9), score: 85m);
        var now = Utc(2026, 10, 1);
        var recorded = AssignmentRules.Evaluate(OneTime(70m), facts, first, now, OrganisationCalendar.Utc);

        var afterLate = AssignmentRules.Evaluate(OneTime(70m), facts, [.. first, .. late], now, OrganisationCalendar.Utc, recorded.Periods);
        var inOrder = AssignmentRules.Evaluate(OneTime(70m), facts, [.. late, .. first], now, OrganisationCalendar.Utc);

        Assert.Equal(inOrder.Periods[0].CompletedAt, afterLate.Periods[0].CompletedAt);
        Assert.True(afterLate.Periods[0].CompletedAt < recorded.Periods[0].CompletedAt);
    }

    [Fact]
    public void ALateBetterScoreFromBeforeARecordedCompletionRaisesItsGradeAndLeavesTheInstant()
    {
        var facts = new AssignmentFacts(Assigned, GraceDays: 0, WithdrawnAt: null);
        var first = PassSafety101(Utc(2026, 9, 10, 9), score: 80m);
        var late = Result(Quiz1, 95m, Utc(2026, 9, 8, 9));
        var now = Utc(2026, 10, 1);
        var recorded = AssignmentRules.Evaluate(OneTime(70m), facts, first, now, OrganisationCalendar.Utc);

        var afterLate = AssignmentRules.Evaluate(OneTime(70m), facts, [.. first, late], now, OrganisationCalendar.Utc, recorded.Periods);

        Assert.Equal(80m, recorded.Periods[0].CourseGrades[Safety101.CourseId]);
        Assert.Equal(recorded.Periods[0].CompletedAt, afterLate.Periods[0].CompletedAt);
        Assert.Equal(85m, afterLate.Periods[0].CourseGrades[Safety101.CourseId]);
    }

    [Fact]
    public void TurningRenewalOnAfterAOneTimeCompletionDatesTheExpiryFromThatCompletion()
    {
        var facts = new AssignmentFacts(Assigned, GraceDays: 0, WithdrawnAt: null);
        var results = PassSafety101(Utc(2026, 9, 10, 9), score: 80m);
        var recorded = AssignmentRules.Evaluate(OneTime(70m), facts, results, Utc(2026, 10, 1), OrganisationCalendar.Utc);
        var renewing = new CertificationTerms(EffectiveFrom, null, 70m, new RenewalPolicy(12, 30, RenewalAnchor.PreviousExpiry), [Safety101]);

        var standing = AssignmentRules.Evaluate(renewing, facts, results, Utc(2026, 10, 1), OrganisationCalendar.Utc, recorded.Periods);

        Assert.Equal(AssignmentStatus.Certified, standing.Status);
        Assert.Equal(Utc(2027, 9, 10, 9), standing.Periods[0].ExpiresAt);
        Assert.Contains("Certified until", standing.Summary, StringComparison.Ordinal);
    }
}
