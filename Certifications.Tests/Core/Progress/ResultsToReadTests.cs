using Certifications.Core.Enrollment;
using Certifications.Core.Progress;

namespace Certifications.Tests.Core.Progress;

/// <summary>Which results an evaluation reads: from the latest recorded period on only when nothing earlier can have changed.</summary>
public sealed class ResultsToReadTests
{
    private static readonly DateTime Completed = new(2026, 3, 10, 9, 0, 0, DateTimeKind.Utc);
    private static readonly DateTime WindowOpened = new(2026, 5, 1, 0, 0, 0, DateTimeKind.Utc);

    private static Assignment Renewing(int learnerId) => new()
    {
        Id = 1,
        LearnerId = learnerId,
        Periods =
        [
            new Period { Number = 1, WindowStart = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc), CompletedAt = Completed, ExpiresAt = WindowOpened.AddDays(30) },
            new Period { Number = 2, WindowStart = WindowOpened },
        ],
    };

    [Fact]
    public void TheSweepReadsFromTheLatestPeriodsStartAndEveryResultWithoutAPeriod()
    {
        Assert.Equal(WindowOpened, ResultsToRead.SinceLatestPeriod.From(Renewing(7)));
        Assert.Null(ResultsToRead.SinceLatestPeriod.From(new Assignment { LearnerId = 7 }));
        Assert.Null(ResultsToRead.All.From(Renewing(7)));
    }

    [Fact]
    public void NewResultsAfterTheLatestPeriodsStartReadFromThere()
    {
        var read = ResultsToRead.AfterNewResults(new Dictionary<int, DateTime> { [7] = WindowOpened.AddHours(1) });

        Assert.Equal(WindowOpened, read.From(Renewing(7)));
    }

    [Fact]
    public void ANewResultAtOrBeforeTheLatestPeriodsStartReadsEveryResultOfThatLearnerOnly()
    {
        var read = ResultsToRead.AfterNewResults(new Dictionary<int, DateTime> { [7] = WindowOpened, [8] = WindowOpened.AddDays(1) });
        var lateForAnEarlierPeriod = ResultsToRead.AfterNewResults(new Dictionary<int, DateTime> { [7] = WindowOpened.AddDays(-2) });

        Assert.Null(read.From(Renewing(7)));
        Assert.Equal(WindowOpened, read.From(Renewing(8)));
        Assert.Null(lateForAnEarlierPeriod.From(Renewing(7)));
    }

    [Fact]
    public void ACompleteLatestPeriodIsReadFromItsCompletionByTheSweepAndWholeAfterNewResults()
    {
        var assignment = Renewing(7);
        assignment.Periods.RemoveAt(1);
        var windowStart = assignment.Periods[0].WindowStart;

        Assert.Equal(Completed, ResultsToRead.SinceLatestPeriod.From(assignment));
        Assert.Equal(windowStart, ResultsToRead.AfterNewResults(new Dictionary<int, DateTime> { [7] = Completed.AddMinutes(1) }).From(assignment));
        Assert.Equal(windowStart, ResultsToRead.AfterNewResults(new Dictionary<int, DateTime> { [7] = Completed.AddDays(-1) }).From(assignment));
        Assert.Null(ResultsToRead.AfterNewResults(new Dictionary<int, DateTime> { [7] = windowStart }).From(assignment));
    }
}
