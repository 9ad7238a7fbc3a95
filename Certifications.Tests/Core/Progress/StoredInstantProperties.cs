using System.Globalization;
using Certifications.Core.Progress;
using CsCheck;

namespace Certifications.Tests.Core.Progress;

/// <summary>
/// The full recompute reads result instants as text and parses them by position; it must read every instant exactly as
/// the provider reads what the context wrote.
/// </summary>
public sealed class StoredInstantProperties
{
    private static readonly Gen<DateTime> Instants =
        Gen.Long[new DateTime(1990, 1, 1).Ticks, new DateTime(2100, 1, 1).Ticks].Select(ticks => new DateTime(ticks, DateTimeKind.Utc));

    private static readonly Gen<DateTime> WholeSeconds = Instants.Select(i => new DateTime(i.Ticks - i.Ticks % TimeSpan.TicksPerSecond, DateTimeKind.Utc));

    [Fact]
    public void EveryInstantTheContextWritesIsReadBackAsTheProviderReadsIt() =>
        Gen.OneOf(Instants, WholeSeconds).Sample(instant =>
        {
            // As EF Core writes a DateTime on SQLite, and as the provider reads it back.
            var stored = instant.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture);
            var read = ProgressRecompute.StoredInstant(stored);
            Assert.Equal(DateTime.Parse(stored, CultureInfo.InvariantCulture), read);
            Assert.Equal(instant, read);
            Assert.Equal(DateTimeKind.Utc, read.Kind);
        });

    [Theory]
    [InlineData("2026-03-01T09:30:00Z")]
    [InlineData("2026-03-01 09:30:00.12345678")]
    [InlineData("2026-3-1 09:30:00")]
    [InlineData("2026-03-01 09:30:00.")]
    public void TextInAnotherFormIsReadAsTheProviderReadsIt(string stored) =>
        Assert.Equal(DateTime.SpecifyKind(DateTime.Parse(stored, CultureInfo.InvariantCulture), DateTimeKind.Utc), ProgressRecompute.StoredInstant(stored));

    [Theory]
    [InlineData("2026-02-30 09:30:00")]
    [InlineData("2026-13-01 09:30:00")]
    [InlineData("2026-03-01 24:00:00")]
    public void TextThatIsNoInstantIsRefusedAsTheGeneralParserRefusesIt(string stored) =>
        Assert.Throws<FormatException>(() => ProgressRecompute.StoredInstant(stored));
}
