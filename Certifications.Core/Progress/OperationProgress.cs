namespace Certifications.Core.Progress;

/// <summary>How far a long operation has got: <see cref="Done"/> of <see cref="Total"/> items of the stage it names.</summary>
/// <param name="Stage">What is being done, in the admin's words ("Recomputing learners' progress").</param>
public sealed record OperationProgress(string Stage, int Done, int Total)
{
    public const string Recomputing = "Recomputing learners' progress";

    public const string CheckingRows = "Checking rows";

    /// <summary>0 to 100; an operation with nothing to do is complete.</summary>
    public int Percent => Total <= 0 ? 100 : (int)(100L * Math.Min(Done, Total) / Total);
}
