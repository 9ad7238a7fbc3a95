using Certifications.Core.Auditing;
using Certifications.Core.Catalog;
using Certifications.Core.Enrollment;
using Certifications.Core.Progress;
using Certifications.Core.Security;
using Certifications.Tests.Core.Progress;

namespace Certifications.Tests.Core.Enrollment;

/// <summary>The manager's dashboard: the certifications their learners hold, counted by status, and the learners.</summary>
public sealed class TeamServiceTests : IAsyncLifetime
{
    private TeamTestBed bed = null!;

    public async Task InitializeAsync() => bed = await TeamTestBed.CreateAsync();

    public async Task DisposeAsync() => await bed.DisposeAsync();

    private static IReadOnlyList<(AssignmentStatus, int)> Counts(TeamCertification certification) =>
        [.. certification.Counts.Select(c => (c.Status, c.Count))];

    [Fact]
    public async Task EachCertificationTheReportsHoldIsCountedByStoredStatusLeavingOutOthersAndWithdrawals()
    {
        var safety = await bed.CertificationAsync("Workplace Safety");
        var forklift = await bed.CertificationAsync("Forklift", c => (c.RenewalRequired, c.RenewalPeriodMonths) = (true, 12));
        var outsiders = await bed.CertificationAsync("Outsiders Only");
        await bed.AssignAsync(safety, bed.Ann, bed.Ben, bed.Otto);
        await bed.AssignAsync(forklift, bed.Ann, bed.Ben);
        await bed.AssignAsync(outsiders, bed.Otto);
        await bed.PlayAsync(bed.Ann, bed.Safety, bed.Now.AddMinutes(10), 80, 90);
        await bed.PlayAsync(bed.Ann, bed.FirstAid, bed.Now.AddMinutes(20), 75);
        await bed.PlayAsync(bed.Ben, bed.Safety, bed.Now.AddMinutes(30), 60, 70);
        bed.Time.Advance(TimeSpan.FromHours(1));
        await bed.RecomputeAsync();
        await bed.WithdrawAsync(forklift, bed.Ben);

        var dashboard = await bed.Teams().GetDashboardAsync(bed.Manager);

        Assert.Equal(["Forklift", "Workplace Safety"], dashboard.Certifications.Select(c => c.Name));
        var (fork, work) = (dashboard.Certifications[0], dashboard.Certifications[1]);
        Assert.Equal([(AssignmentStatus.Certified, 1)], Counts(fork));
        Assert.Equal([(AssignmentStatus.InProgress, 1), (AssignmentStatus.Completed, 1)], Counts(work));
        Assert.Equal((2, 1, 1, 0, 0), (work.Learners, work.Done, work.InProgress, work.NotStarted, work.NeedsAttention));
        Assert.Equal((12, (int?)null), (fork.RenewalPeriodMonths, work.RenewalPeriodMonths));
        Assert.Equal(["Ann Direct", "Ben Indirect"], dashboard.Members.Select(m => m.Name));
        Assert.Equal((2, 2), (dashboard.Members[0].Assigned, dashboard.Members[0].Done));
    }

    [Fact]
    public async Task TheCountsTakeOneGroupedQueryWhateverTheNumberOfLearnersAndCertifications()
    {
        var first = await bed.CertificationAsync("Workplace Safety");
        await bed.AssignAsync(first, bed.Ann, bed.Ben);

        async Task<int> QueriesAsync()
        {
            bed.Commands.Clear();
            await bed.Teams().GetDashboardAsync(bed.Manager);
            return bed.Commands.Count;
        }

        var few = await QueriesAsync();
        await using (var db = bed.Database.CreateContext())
        {
            var more = new List<Learner>();
            for (var i = 0; i < 60; i++)
            {
                more.Add(await TeamTestBed.AddReportAsync(db, $"Learner {i:00}", bed.Ann));
            }

            for (var c = 0; c < 5; c++)
            {
                var id = await bed.CertificationAsync($"Certification {c}");
                foreach (var learner in more)
                {
                    await ProgressData.AssignAsync(db, id, learner.Id, bed.Now);
                }
            }
        }

        var many = await QueriesAsync();

        Assert.Single(bed.Commands.Statements, s => s.Contains("GROUP BY", StringComparison.Ordinal));
        Assert.Equal(few, many);
        Assert.Equal(6, (await bed.Teams().GetDashboardAsync(bed.Manager)).Certifications.Count);
    }

    [Fact]
    public async Task AManagerWithoutReportsGetsAnEmptyDashboardAndALearnerIsRefused()
    {
        var lonely = new Actor(bed.Otto.Email, bed.Otto.Id, new HashSet<string> { PortalRoles.Learner, PortalRoles.Manager });

        var empty = await bed.Teams().GetDashboardAsync(lonely);

        Assert.Empty(empty.Certifications);
        Assert.Empty(empty.Members);
        await Assert.ThrowsAsync<AccessDeniedException>(() => bed.Teams().GetDashboardAsync(TeamTestBed.LearnerActor(bed.Ann)));
    }
}
