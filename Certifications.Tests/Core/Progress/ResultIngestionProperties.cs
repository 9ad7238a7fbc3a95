using Certifications.Core.Auditing;
using Certifications.Core.Catalog;
using Certifications.Core.Certifications;
using Certifications.Core.Enrollment;
using Certifications.Core.Events;
using Certifications.Core.Progress;
using Certifications.Core.Time;
using Certifications.Tests.Infrastructure;
using CsCheck;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace Certifications.Tests.Core.Progress;

/// <summary>
/// Results arrive in batches, late, out of order and sometimes twice; each batch recomputes only the assignments it
/// touches. The progress stored at the end must be exactly what a full recompute from scratch derives from the same
/// results: same statuses, same periods with the same windows, completions, expiries and grades.
/// </summary>
public sealed class ResultIngestionProperties : IAsyncLifetime
{
    private const int Iterations = 150;
    private static readonly DateTime Origin = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    private static readonly DateTime Now = Origin.AddHours(6 * 980);

    private readonly FakeTimeProvider time = new(new DateTimeOffset(Now));
    private TestDatabase database = null!;

    public sealed record CertificationSpec(bool[] Includes, int Minimum, int EffectiveDay, int? DueDay, int? RenewalMonths, int WindowDays, RenewalAnchor Anchor);

    public sealed record AssignmentSpec(bool Assigned, int AssignedSlot, int GraceDays, int? WithdrawnSlot);

    public sealed record ResultSpec(int Learner, int Step, decimal Score, int Slot, int Batch);

    /// <summary>A completion record (imported or an admin's), recorded in a batch, perhaps revoked in a later one.</summary>
    public sealed record CompletionSpec(int Learner, int Certification, int Slot, int? ExpirySlots, bool Admin, int Batch, int? RevokedInBatch);

    public sealed record World(bool[][] Courses, CertificationSpec[] Certifications, int Learners, AssignmentSpec[] Assignments, ResultSpec[] Results, int[] Resent, CompletionSpec[] Completions)
    {
        public int StepCount => Courses.Sum(c => c.Length);

        public override string ToString() => string.Join("\n",
        [
            $"courses: {string.Join(" ", Courses.Select(c => $"[{string.Join(",", c.Select(g => g ? "g" : "u"))}]"))}",
            .. Certifications.Select((c, i) => $"certification {i}: courses {string.Join(",", c.Includes.Select((on, k) => (on, k)).Where(x => x.on).Select(x => x.k))} minimum {c.Minimum} effective day {c.EffectiveDay} due day {c.DueDay} renewal {c.RenewalMonths} window {c.WindowDays} {c.Anchor}"),
            $"learners: {Learners}",
            .. Assignments.Select((a, i) => $"assignment {i} (certification {i / Learners}, learner {i % Learners}): {a}"),
            .. Results.Select((r, i) => $"result r{i}: {r}"),
            $"resent: {string.Join(",", Resent)}",
            .. Completions.Select((c, i) => $"completion c{i}: {c}"),
        ]);
    }

    private static readonly Gen<decimal> Scores = Gen.OneOf<decimal>(Gen.Int[0, 20].Select(i => i * 5m), Gen.Int[0, 10_000].Select(i => i / 100m));

    private static Gen<CertificationSpec> CertificationOf(int courses) =>
        from includes in Gen.Bool.Array[courses]
        from minimum in Gen.Int[0, 10]
        from effectiveDay in Gen.Int[0, 60]
        from dueDay in Gen.Frequency((2, Gen.Const(() => (int?)null)), (1, Gen.Int[0, 240].Select(d => (int?)d)))
        from months in Gen.Frequency((1, Gen.Const(() => (int?)null)), (2, Gen.OneOf(1, 3).Select(m => (int?)m)))
        from window in Gen.Int[0, 15]
        from anchor in Gen.OneOf(RenewalAnchor.PreviousExpiry, RenewalAnchor.CompletionDate)
        select new CertificationSpec(
            includes.Any(included => included) ? includes : [true, .. includes.Skip(1)],
            minimum * 10,
            effectiveDay,
            dueDay,
            months,
            window * (months ?? 1),
            anchor);

    private static readonly Gen<AssignmentSpec> Assignments =
        from assigned in Gen.Frequency((3, Gen.Const(true)), (1, Gen.Const(false)))
        from slot in Gen.Int[0, 600]
        from grace in Gen.Int[0, 10]
        from withdrawn in Gen.Frequency((5, Gen.Const(() => (int?)null)), (1, Gen.Int[0, 360].Select(w => (int?)(slot + w))))
        select new AssignmentSpec(assigned, slot, grace, withdrawn);

    // Six-hour slots over 240 days: results often share an instant, and monthly renewals come round several times.
    private static readonly Gen<World> Worlds =
        from courses in Gen.Frequency((4, Gen.Const(true)), (1, Gen.Const(false))).Array[1, 3].Array[1, 3]
        from certifications in CertificationOf(courses.Length).Array[1, 3]
        from learners in Gen.Int[1, 3]
        from assignments in Assignments.Array[certifications.Length * learners]
        from results in Gen.Select(Gen.Int[0, learners - 1], Gen.Int[0, courses.Sum(c => c.Length) - 1], Scores, Gen.Int[0, 960], Gen.Int[0, 3])
            .Select(r => new ResultSpec(r.Item1, r.Item2, r.Item3, r.Item4, r.Item5)).Array[0, 40]
        from resent in Gen.Int[0, 39].Array[0, 4]
        from completions in Gen.Select(Gen.Int[0, learners - 1], Gen.Int[0, certifications.Length - 1], Gen.Int[-400, 960], Gen.Frequency((3, Gen.Const(() => (int?)null)), (1, Gen.Int[1, 400].Select(e => (int?)e))), Gen.Bool)
            .SelectMany(c => Gen.Select(Gen.Int[0, 3], Gen.Frequency((3, Gen.Const(() => (int?)null)), (1, Gen.Int[0, 3].Select(b => (int?)b))))
                .Select(b => new CompletionSpec(c.Item1, c.Item2, c.Item3, c.Item4, c.Item5, b.Item1, b.Item2 is { } r && r >= b.Item1 ? r : null)))
            .Array[0, 6]
        select new World(courses, certifications, learners, assignments, results, [.. resent.Where(i => i < results.Length)], [.. completions.DistinctBy(c => (c.Learner, c.Certification, c.Slot))]);

    public async Task InitializeAsync() => database = await TestDatabase.CreateAsync();

    public async Task DisposeAsync() => await database.DisposeAsync();

    [Fact]
    public async Task IngestingBatchByBatchEndsExactlyWhereAFullRecomputeFromScratchEnds()
    {
        await Worlds.SampleAsync(
            async world =>
            {
                var events = new EventHub();
                var recompute = new ProgressRecompute(database.Factory, time, OrganisationCalendar.Utc, events);
                var ingestion = ResultIngestionTests.Ingestion(database, time, events);
                var (learners, steps, certifications) = await BuildAsync(world);

                // Assigning evaluates the assignments, as enrolment does: only results change them from here on.
                await recompute.RecomputeAllAsync();
                for (var batch = 0; batch < 4; batch++)
                {
                    var items = world.Results
                        .Select((r, i) => (Result: r, Item: new ResultItem($"r{i}", learners[r.Learner], steps[r.Step], r.Score, Origin.AddHours(6 * r.Slot))))
                        .Where(r => r.Result.Batch == batch)
                        .Select(r => r.Item)
                        .ToList();
                    if (batch == 3)
                    {
                        // Sent again, some with another score: the first recorded stays.
                        items.AddRange(world.Resent.Select(i => new ResultItem($"r{i}", learners[world.Results[i].Learner], steps[world.Results[i].Step], 100m - world.Results[i].Score, Origin.AddHours(6 * world.Results[i].Slot))));
                    }

                    var report = await ingestion.IngestAsync(Actor.System, items);
                    Assert.Equal(0, report.Rejected);
                    await RecordCompletionsAsync(world, batch, learners, certifications, recompute);
                }

                var incremental = string.Join("\n", await DescribeAsync());
                Assert.Equal(0, await recompute.RecomputeAllAsync());
                Assert.Equal(incremental, string.Join("\n", await DescribeAsync()));

                await using (var db = database.CreateContext())
                {
                    Assert.Equal(world.Results.Length, await db.StepResults.CountAsync());
                    await db.Database.ExecuteSqlRawAsync(
                        """
                        DELETE FROM "PeriodCourseGrades";
                        DELETE FROM "Periods";
                        UPDATE "Assignments" SET "Status" = 'NotStarted', "CoursesSatisfied" = 0, "CoursesRequired" = 0, "StatusChangedAt" = "AssignedAt";
                        """);
                }

                await recompute.RecomputeAllAsync();
                Assert.Equal(string.Join("\n", await DescribeAsync()), incremental);
            },
            iter: Iterations,
            threads: 1,
            print: world => world.ToString());
    }

    private async Task<List<string>> DescribeAsync()
    {
        await using var db = database.CreateContext();
        return await ProgressData.DescribeAsync(db);
    }

    /// <summary>
    /// The batch's completion records are stored and its revocations made, then the assignments they touch recomputed, as
    /// the import and the profile card's actions do.
    /// </summary>
    private async Task RecordCompletionsAsync(World world, int batch, int[] learners, int[] certifications, ProgressRecompute recompute)
    {
        var touched = new List<CompletionSpec>();
        await using (var db = database.CreateContext())
        {
            foreach (var spec in world.Completions.Where(c => c.Batch == batch))
            {
                db.CompletionRecords.Add(new CompletionRecord
                {
                    LearnerId = learners[spec.Learner],
                    CertificationId = certifications[spec.Certification],
                    Source = spec.Admin ? CompletionSource.AdminOverride : CompletionSource.Imported,
                    CompletedAt = Origin.AddHours(6 * spec.Slot),
                    ExpiresAt = spec.ExpirySlots is { } e ? Origin.AddHours(6 * (spec.Slot + e)) : null,
                    Evidence = "evidence",
                    RecordedBy = "test",
                    RecordedAt = Now,
                    RevokedAt = spec.RevokedInBatch == batch ? Now : null,
                });
                touched.Add(spec);
            }

            foreach (var spec in world.Completions.Where(c => c.RevokedInBatch == batch && c.Batch < batch))
            {
                var completedAt = Origin.AddHours(6 * spec.Slot);
                await db.CompletionRecords
                    .Where(r => r.LearnerId == learners[spec.Learner] && r.CertificationId == certifications[spec.Certification] && r.CompletedAt == completedAt)
                    .ExecuteUpdateAsync(u => u.SetProperty(r => r.RevokedAt, Now));
                touched.Add(spec);
            }

            await db.SaveChangesAsync();
        }

        foreach (var group in touched.GroupBy(c => c.Certification))
        {
            await recompute.RecomputeCertificationAsync(certifications[group.Key], [.. group.Select(c => learners[c.Learner]).Distinct()]);
        }
    }

    /// <summary>Empties the database and writes the world's catalog, certifications and assignments; returns learner, step and certification ids by index.</summary>
    private async Task<(int[] Learners, int[] Steps, int[] Certifications)> BuildAsync(World world)
    {
        await using var db = database.CreateContext();
        await db.Database.ExecuteSqlRawAsync(
            """
            DELETE FROM "Notifications"; DELETE FROM "PeriodCourseGrades"; DELETE FROM "Periods"; DELETE FROM "CompletionRecords";
            DELETE FROM "AssignmentSources"; DELETE FROM "Assignments";
            DELETE FROM "StepResults"; DELETE FROM "CertificationCourses"; DELETE FROM "Certifications"; DELETE FROM "Steps";
            DELETE FROM "Courses"; DELETE FROM "Learners"; DELETE FROM "AuditEntries";
            """);

        var courses = world.Courses.Select((graded, c) => new Course
        {
            Title = $"Course {c}",
            IsPublished = true,
            Steps = [.. graded.Select((isGraded, s) => new Step { Title = $"Step {c}.{s}", Position = s + 1, IsGraded = isGraded })],
        }).ToList();
        var learners = Enumerable.Range(0, world.Learners)
            .Select(i => new Learner { Name = $"Learner {i}", Email = $"l{i}@example.com", NormalizedEmail = $"L{i}@EXAMPLE.COM" })
            .ToList();
        db.Courses.AddRange(courses);
        db.Learners.AddRange(learners);
        await db.SaveChangesAsync();

        var certifications = world.Certifications.Select((spec, i) => new Certification
        {
            Name = $"Certification {i}",
            NormalizedName = $"CERTIFICATION {i}",
            State = CertificationState.Published,
            EffectiveFrom = DateOnly.FromDateTime(Origin.AddDays(spec.EffectiveDay)),
            DueDate = spec.DueDay is { } due ? DateOnly.FromDateTime(Origin.AddDays(due)) : null,
            MinimumPassingGrade = spec.Minimum,
            RenewalRequired = spec.RenewalMonths is not null,
            RenewalPeriodMonths = spec.RenewalMonths,
            RenewalWindowDays = spec.WindowDays,
            RenewalAnchor = spec.Anchor,
            Courses = [.. spec.Includes.Select((on, c) => (on, c)).Where(x => x.on).Select((x, position) => new CertificationCourse { CourseId = courses[x.c].Id, Position = position + 1 })],
        }).ToList();
        db.Certifications.AddRange(certifications);
        await db.SaveChangesAsync();

        db.Assignments.AddRange(world.Assignments
            .Select((spec, i) => (spec, Certification: certifications[i / world.Learners], Learner: learners[i % world.Learners]))
            .Where(a => a.spec.Assigned)
            .Select(a => new Assignment
            {
                CertificationId = a.Certification.Id,
                LearnerId = a.Learner.Id,
                AssignedAt = Origin.AddHours(6 * a.spec.AssignedSlot),
                GraceDays = a.spec.GraceDays,
                StatusChangedAt = Origin.AddHours(6 * a.spec.AssignedSlot),
                WithdrawnAt = a.spec.WithdrawnSlot is { } withdrawn ? Origin.AddHours(6 * withdrawn) : null,
                Sources = [new AssignmentSource { Kind = AssignmentSourceKind.Individual, AddedAt = Origin }],
            }));
        await db.SaveChangesAsync();
        return ([.. learners.Select(l => l.Id)], [.. courses.SelectMany(c => c.Steps.OrderBy(s => s.Position)).Select(s => s.Id)], [.. certifications.Select(c => c.Id)]);
    }
}
