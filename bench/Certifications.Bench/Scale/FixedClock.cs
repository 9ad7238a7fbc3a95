namespace Certifications.Bench.Scale;

/// <summary>The portal's clock stopped at the instant the generated data describes: every run computes the same statuses.</summary>
internal sealed class FixedClock(DateTime utcNow) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => new(utcNow);
}
