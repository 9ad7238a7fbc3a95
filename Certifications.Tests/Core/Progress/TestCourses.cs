using Certifications.Core.Progress;

namespace Certifications.Tests.Core.Progress;

/// <summary>The courses of the help article's example, with step ids that say which course they belong to.</summary>
internal static class TestCourses
{
    public const int Video = 11;
    public const int Quiz1 = 12;
    public const int Quiz2 = 13;
    public const int FinalTest = 14;
    public const int FirstAidQuiz = 21;

    public static CourseRequirement Safety101 { get; } = new(1, "Safety 101",
    [
        new StepRequirement(Video, "Video", IsGraded: false),
        new StepRequirement(Quiz1, "Quiz 1", IsGraded: true),
        new StepRequirement(Quiz2, "Quiz 2", IsGraded: true),
        new StepRequirement(FinalTest, "Final test", IsGraded: true),
    ]);

    public static CourseRequirement FirstAid { get; } = new(2, "First aid", [new StepRequirement(FirstAidQuiz, "Quiz", IsGraded: true)]);

    public static CourseRequirement Reading { get; } = new(3, "Reading", [new StepRequirement(31, "Handbook", IsGraded: false)]);

    private static long nextId = 1000;

    /// <summary>A result with a fresh id; ids only need to be unique within a test.</summary>
    public static ResultFact Result(int stepId, decimal score, DateTime completedAt) =>
        new(Interlocked.Increment(ref nextId), stepId, score, completedAt);

    /// <summary>Every graded step of Safety 101 at the same score and instant.</summary>
    public static ResultFact[] PassSafety101(DateTime completedAt, decimal score = 90m) =>
        [Result(Quiz1, score, completedAt), Result(Quiz2, score, completedAt), Result(FinalTest, score, completedAt)];
}
