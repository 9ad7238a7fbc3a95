using System.Globalization;
using Certifications.Core.Certifications;
using Certifications.Core.Renewals;
using CsCheck;
using Microsoft.EntityFrameworkCore;

namespace Certifications.Tests.Core.Renewals;

/// <summary>
/// Whatever the instants the sweep happens to run at, and whatever results arrive in between, what is stored after the
/// last run is what a full recompute at that instant stores: the sweep never misses a transition nor makes one early.
/// </summary>
public sealed class SweepProperties
{
    private const int Iterations = 20;
    private static readonly DateTime Origin = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    public sealed record Certificate(int? RenewalMonths, int WindowDays, RenewalAnchor Anchor, int EffectiveDay, int? DueDays);

    public sealed record World(Certificate[] Certifications, (int Learner, int Hour)[] Passes, int[] SweepHours)
    {
        public override string ToString() =>
            string.Join("; ", Certifications.Select(c => string.Create(CultureInfo.InvariantCulture, $"renewal {c.RenewalMonths}m window {c.WindowDays}d {c.Anchor} effective day {c.EffectiveDay} due {c.DueDays}"))) +
            $" | passes {string.Join(", ", Passes.Select(p => $"learner {p.Learner} at hour {p.Hour}"))} | sweeps at hours {string.Join(", ", SweepHours)}";
    }

    private static readonly Gen<Certificate> Certificates =
        from months in Gen.Frequency((1, Gen.Const(() => (int?)null)), (2, Gen.OneOf(1, 3).Select(m => (int?)m)))
        from window in Gen.Int[0, 15]
        from anchor in Gen.OneOf(RenewalAnchor.PreviousExpiry, RenewalAnchor.CompletionDate)
        from effective in Gen.Int[0, 40]
        from due in Gen.Int[0, 60]
        select new Certificate(months, window, anchor, effective, months is null ? due : null);

    private static readonly Gen<World> Worlds =
        from certifications in Certificates.Array[1, 2]
        from passes in Gen.Select(Gen.Int[0, 2], Gen.Int[0, 24 * 200]).Array[0, 8]
        from sweeps in Gen.Int[0, 24 * 220].Array[1, 8]
        select new World(certifications, passes, [.. sweeps.Distinct().Order()]);

    [Fact]
    public async Task SweepingAtAnySuccessionOfInstantsEndsWhereAFullRecomputeAtTheLastOneEnds()
    {
        await Worlds.SampleAsync(
            async world =>
            {
                await using var bed = await SweepTestBed.CreateAsync(Origin);
                var learners = new List<int>();
                for (var c = 0; c < world.Certifications.Length; c++)
                {
                    var spec = world.Certifications[c];
                    var id = await bed.AddCertificationAsync($"Certification {c}", DateOnly.FromDateTime(Origin).AddDays(spec.EffectiveDay), certification =>
                    {
                        certification.RenewalRequired = spec.RenewalMonths is not null;
                        certification.RenewalPeriodMonths = spec.RenewalMonths;
                        certification.RenewalWindowDays = spec.WindowDays;
                        certification.RenewalAnchor = spec.Anchor;
                        certification.DueDate = spec.DueDays is { } due ? DateOnly.FromDateTime(Origin).AddDays(spec.EffectiveDay + due) : null;
                    });
                    for (var l = 0; l < 3; l++)
                    {
                        var learner = await bed.AssignNewLearnerAsync(id, $"Learner {c}-{l}");
                        if (c == 0)
                        {
                            learners.Add(learner);
                        }
                    }
                }

                var sent = new HashSet<int>();
                foreach (var hour in world.SweepHours)
                {
                    bed.SetNow(Origin.AddHours(hour).AddMinutes(30));
                    for (var p = 0; p < world.Passes.Length; p++)
                    {
                        var completedAt = Origin.AddHours(world.Passes[p].Hour);
                        if (completedAt <= bed.Now && sent.Add(p))
                        {
                            // A learner of the first certification; the same course counts for every certification they hold.
                            await bed.PassAsync(learners[world.Passes[p].Learner], completedAt);
                        }
                    }

                    await bed.Sweep.RunAsync(SweepTrigger.Schedule);
                }

                var swept = await bed.SnapshotAsync();
                await bed.Recompute.RecomputeAllAsync();
                var recomputed = await bed.SnapshotAsync();
                Assert.Equal(Stored(swept), Stored(recomputed));
                await using var db = bed.Database.CreateContext();
                Assert.Equal(0, await db.Assignments.CountAsync(a => a.NextTransitionAt <= bed.Now));
            },
            iter: Iterations);
    }

    /// <summary>Statuses, progress, periods and next transitions; not when a status last changed, which a recompute that changes nothing leaves alone anyway.</summary>
    private static List<string> Stored(List<string> snapshot) =>
        [.. snapshot.Select(line => line.Contains(" changed ", StringComparison.Ordinal) ? line[..line.IndexOf(" changed ", StringComparison.Ordinal)] : line)];
}
