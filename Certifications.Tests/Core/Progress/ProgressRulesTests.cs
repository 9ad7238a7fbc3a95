using Certifications.Core.Progress;
using static Certifications.Tests.Core.Progress.TestCourses;
using static Certifications.Tests.Core.Time.TestCalendars;

namespace Certifications.Tests.Core.Progress;

public sealed class ProgressRulesTests
{
    private static readonly DateTime WindowStart = Utc(2026, 10, 1, 9);

    private static ProgressEvaluation Evaluate(decimal minimum, params ResultFact[] results) =>
        ProgressRules.Evaluate([Safety101], minimum, WindowStart, results);

    [Fact]
    public void AGradeExactlyEqualToTheMinimumSatisfiesTheCourse()
    {
        var evaluation = Evaluate(70m,
            Result(Quiz1, 60m, Utc(2026, 10, 2)), Result(Quiz2, 70m, Utc(2026, 10, 2)), Result(FinalTest, 80m, Utc(2026, 10, 2)));

        var course = Assert.Single(evaluation.Courses);
        Assert.Equal(70m, course.Grade);
        Assert.Equal(CourseVerdict.Satisfied, course.Verdict);
        Assert.True(course.IsSatisfied);
        Assert.True(evaluation.IsComplete);
        Assert.Equal("Grade 70 % meets the minimum of 70 %; satisfied on 2 Oct 2026 00:00", course.Reason);
    }

    [Fact]
    public void AGradeJustBelowTheMinimumIsNotRoundedUpToIt()
    {
        var evaluation = Evaluate(70m,
            Result(Quiz1, 60m, Utc(2026, 10, 2)), Result(Quiz2, 70m, Utc(2026, 10, 2)), Result(FinalTest, 79.99m, Utc(2026, 10, 2)));

        var course = Assert.Single(evaluation.Courses);
        Assert.Equal(CourseVerdict.BelowMinimum, course.Verdict);
        Assert.False(course.IsSatisfied);
        Assert.Null(course.SatisfiedAt);
        Assert.Null(evaluation.CompletedAt);
        Assert.Equal("Grade 69.99 % is below the minimum of 70 %", course.Reason);
    }

    [Fact]
    public void AResultExactlyAtTheWindowStartCounts()
    {
        var evaluation = Evaluate(70m, PassSafety101(WindowStart));

        Assert.Equal(WindowStart, evaluation.CompletedAt);
        Assert.All(evaluation.Courses[0].Results, r => Assert.Equal(ResultVerdict.Counted, r.Verdict));
    }

    [Fact]
    public void AResultOneSecondBeforeTheWindowStartDoesNotCount()
    {
        var early = Result(Quiz1, 100m, WindowStart.AddSeconds(-1));

        var evaluation = Evaluate(70m, [early, Result(Quiz2, 90m, WindowStart), Result(FinalTest, 90m, WindowStart)]);

        var course = evaluation.Courses[0];
        var explanation = course.Results.Single(r => r.Result == early);
        Assert.Equal(ResultVerdict.BeforeWindow, explanation.Verdict);
        Assert.Equal("Before the counting window that starts 1 Oct 2026 09:00", explanation.Reason);
        Assert.Equal(CourseVerdict.MissingSteps, course.Verdict);
        Assert.Equal("1 of 3 graded steps has no result in the window: Quiz 1", course.Reason);
        Assert.False(evaluation.IsComplete);
    }

    [Fact]
    public void UngradedStepsAreIgnoredEvenWithLowScores()
    {
        var video = Result(Video, 0m, Utc(2026, 10, 2));

        var evaluation = Evaluate(70m, [video, .. PassSafety101(Utc(2026, 10, 3), score: 75m)]);

        var course = evaluation.Courses[0];
        Assert.Equal(75m, course.Grade);
        Assert.True(course.IsSatisfied);
        Assert.Equal(3, course.GradedSteps);
        var explanation = course.Results.Single(r => r.Result == video);
        Assert.Equal(ResultVerdict.UngradedStep, explanation.Verdict);
        Assert.Equal("Step is not graded", explanation.Reason);
    }

    [Fact]
    public void TheBestScoreOfEachStepCountsAndTheOthersAreSuperseded()
    {
        var first = Result(Quiz1, 50m, Utc(2026, 10, 2, 8));
        var best = Result(Quiz1, 92m, Utc(2026, 10, 3, 14, 5));
        var later = Result(Quiz1, 70m, Utc(2026, 10, 4, 8));

        var evaluation = Evaluate(70m, first, best, later, Result(Quiz2, 80m, Utc(2026, 10, 2)), Result(FinalTest, 80m, Utc(2026, 10, 2)));

        var course = evaluation.Courses[0];
        Assert.Equal((92m + 80m + 80m) / 3, course.Grade);
        Assert.Equal(ResultVerdict.Counted, course.Results.Single(r => r.Result == best).Verdict);
        Assert.All(course.Results.Where(r => r.Result == first || r.Result == later), r =>
        {
            Assert.Equal(ResultVerdict.Superseded, r.Verdict);
            Assert.Equal("Superseded by 92 % on 3 Oct 2026 14:05", r.Reason);
        });
    }

    [Fact]
    public void OfTwoEqualScoresTheEarlierCountsAndTheLaterIsSuperseded()
    {
        var earlier = Result(Quiz1, 80m, Utc(2026, 10, 2, 8));
        var later = Result(Quiz1, 80m, Utc(2026, 10, 3, 8));

        var evaluation = Evaluate(70m, later, earlier);

        var results = evaluation.Courses[0].Results;
        Assert.Equal([earlier, later], results.Select(r => r.Result));
        Assert.Equal([ResultVerdict.Counted, ResultVerdict.Superseded], results.Select(r => r.Verdict));
        Assert.Equal("Superseded by the same score of 80 % reached earlier, on 2 Oct 2026 08:00", results[1].Reason);
    }

    [Fact]
    public void ACourseWithNoGradedStepsIsNeverSatisfied()
    {
        var evaluation = ProgressRules.Evaluate([Reading], 0m, WindowStart, [Result(31, 100m, Utc(2026, 10, 2))]);

        var course = Assert.Single(evaluation.Courses);
        Assert.Equal(CourseVerdict.NoGradedSteps, course.Verdict);
        Assert.False(course.IsSatisfied);
        Assert.Null(course.Grade);
        Assert.False(evaluation.IsComplete);
        Assert.Equal(ResultVerdict.UngradedStep, Assert.Single(course.Results).Verdict);
    }

    [Fact]
    public void CompletedAtIsTheInstantTheLastRequirementWasFirstMetNotTheLatestResult()
    {
        var results = new[]
        {
            Result(FirstAidQuiz, 90m, Utc(2026, 10, 2)),
            Result(Quiz1, 40m, Utc(2026, 10, 3)),
            Result(Quiz2, 80m, Utc(2026, 10, 3)),
            Result(FinalTest, 80m, Utc(2026, 10, 3)),

            // Safety 101 is 66.67 % until this retake lifts it to 80 %.
            Result(Quiz1, 80m, Utc(2026, 10, 5)),

            // Later improvements change the grades, not the completion.
            Result(Quiz1, 100m, Utc(2026, 10, 9)),
            Result(FirstAidQuiz, 100m, Utc(2026, 10, 10)),
        };

        var evaluation = ProgressRules.Evaluate([Safety101, FirstAid], 70m, WindowStart, results);

        Assert.Equal(Utc(2026, 10, 5), evaluation.Courses[0].SatisfiedAt);
        Assert.Equal(Utc(2026, 10, 2), evaluation.Courses[1].SatisfiedAt);
        Assert.Equal(Utc(2026, 10, 5), evaluation.CompletedAt);
        Assert.Equal(2, evaluation.CoursesSatisfied);
        Assert.Equal(2, evaluation.CoursesRequired);
    }

    [Fact]
    public void MissingGradedStepsAreNamedAndCountAsZeroInTheGrade()
    {
        var evaluation = Evaluate(70m, Result(Quiz1, 90m, Utc(2026, 10, 2)));

        var course = evaluation.Courses[0];
        Assert.Equal(CourseVerdict.MissingSteps, course.Verdict);
        Assert.Equal("2 of 3 graded steps have no result in the window: Quiz 2, Final test", course.Reason);
        Assert.Equal(30m, course.Grade);
        Assert.Equal(1, course.GradedStepsWithResult);
    }

    [Fact]
    public void TheGradeIsUnknownUntilAGradedStepHasAResult()
    {
        var evaluation = Evaluate(70m, Result(Video, 100m, Utc(2026, 10, 2)), Result(Quiz1, 100m, WindowStart.AddDays(-1)));

        Assert.Null(evaluation.Courses[0].Grade);
        Assert.Equal(0, evaluation.CoursesSatisfied);
    }

    [Fact]
    public void AResultOnAStepOfNoIncludedCourseIsExplainedAsUnmatched()
    {
        var stray = Result(999, 100m, Utc(2026, 10, 2));

        var evaluation = Evaluate(70m, stray);

        var explanation = Assert.Single(evaluation.Unmatched);
        Assert.Equal(stray, explanation.Result);
        Assert.Null(explanation.CourseId);
        Assert.Equal(ResultVerdict.NotInCertification, explanation.Verdict);
        Assert.Empty(evaluation.Courses[0].Results);
    }

    [Fact]
    public void ResultsAfterAWithdrawalDoNotCount()
    {
        var withdrawnAt = Utc(2026, 10, 4, 12);
        var results = PassSafety101(Utc(2026, 10, 4, 12, 0, 1));

        var evaluation = ProgressRules.Evaluate([Safety101], 70m, WindowStart, results, Paris, withdrawnAt);

        Assert.False(evaluation.IsComplete);
        Assert.All(evaluation.Courses[0].Results, r =>
        {
            Assert.Equal(ResultVerdict.AfterWithdrawal, r.Verdict);
            Assert.Equal("After the assignment was withdrawn on 4 Oct 2026 14:00", r.Reason);
        });
    }

    [Fact]
    public void ExplanationsWriteTimesInTheOrganisationsZone()
    {
        var early = Result(Quiz1, 100m, WindowStart.AddMinutes(-30));

        var evaluation = ProgressRules.Evaluate([Safety101], 70m, WindowStart, [early], NewYork, withdrawnAt: null);

        Assert.Equal("Before the counting window that starts 1 Oct 2026 05:00", evaluation.Courses[0].Results[0].Reason);
    }

    [Fact]
    public void ACertificationWithoutCoursesIsNeverComplete()
    {
        var evaluation = ProgressRules.Evaluate([], 0m, WindowStart, PassSafety101(Utc(2026, 10, 2)));

        Assert.False(evaluation.IsComplete);
        Assert.Equal(3, evaluation.Unmatched.Count);
    }
}
