using Bunit;
using Certifications.Core.Events;
using Certifications.Core.Security;
using Certifications.Portal.Components.Pages.Manage;

namespace Certifications.Tests.Portal.Manage;

/// <summary>The manager's home at /manage: their learners' certifications with status counts and a chart, and the learners.</summary>
public sealed class TeamDashboardTests : ManagePageTestContext
{
    private IRenderedComponent<Team> Render()
    {
        var cut = Context.Render<Team>();
        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("[data-test='team'], [data-test='no-team']")));
        return cut;
    }

    private static string Cell(IRenderedComponent<Team> cut, int certificationId, string column) =>
        cut.Find($"[data-test='team-certification'][data-certification-id='{certificationId}']").Closest("tr")!
            .QuerySelector($"[data-test='{column}']")!.TextContent.Trim();

    private static IReadOnlyList<(string, string)> ChartCounts(IRenderedComponent<Team> cut) =>
        [.. cut.FindAll("[data-test='status-count']").Select(li => (li.GetAttribute("data-status")!, li.GetAttribute("data-count")!))];

    [Fact]
    public async Task EachCertificationOfTheTeamShowsItsCountsAndOpensItsLearnersUnderAChartOfAllTheirStatuses()
    {
        await PlayQuietlyAsync(Ann, Safety, Now.AddMinutes(-50), 80, 90);
        await PlayQuietlyAsync(Ann, FirstAid, Now.AddMinutes(-40), 75);
        await PlayQuietlyAsync(Ben, Safety, Now.AddMinutes(-30), 60, 70);
        var forklift = await AnotherCertificationAsync("Forklift");
        await AssignQuietlyAsync(forklift, Cleo);
        await RecomputeQuietlyAsync();

        var cut = Render();

        var links = cut.FindAll("[data-test='team-certification']");
        Assert.Equal(["Forklift", "Workplace Safety"], links.Select(a => a.TextContent.Trim()));
        Assert.Equal($"/manage/certifications/{CertificationId}", links[1].GetAttribute("href"));
        Assert.Equal(("3", "1", "1", "1", "0"), (Cell(cut, CertificationId, "learners"), Cell(cut, CertificationId, "done"),
            Cell(cut, CertificationId, "in-progress"), Cell(cut, CertificationId, "not-started"), Cell(cut, CertificationId, "needs-attention")));
        Assert.Equal([("NotStarted", "2"), ("InProgress", "1"), ("Completed", "1")], ChartCounts(cut));
        Assert.Equal(3, cut.FindAll("[data-test='team'] tbody tr").Count);
    }

    [Fact]
    public async Task CountsFollowAnAssignmentChangeOfATeamMemberWithoutAReload()
    {
        var cut = Render();
        Assert.Equal([("NotStarted", "3")], ChartCounts(cut));

        await PlayQuietlyAsync(Cleo, Safety, Now.AddMinutes(-10), 90, 90);
        await PlayQuietlyAsync(Cleo, FirstAid, Now.AddMinutes(-10), 90);
        await RecomputeQuietlyAsync();
        await Events.PublishAsync(new AssignmentsChanged(CertificationId, [Otto.Id]));
        await cut.Instance.Live.Idle;
        Assert.Equal([("NotStarted", "3")], ChartCounts(cut));

        await Events.PublishAsync(new AssignmentsChanged(CertificationId, [Cleo.Id]));

        cut.WaitForAssertion(() =>
        {
            Assert.Equal([("NotStarted", "2"), ("Completed", "1")], ChartCounts(cut));
            Assert.Equal("1", Cell(cut, CertificationId, "done"));
        });
    }

    [Fact]
    public void AManagerWithNobodyReportingSeesWhyThePageIsEmpty()
    {
        SignInAs(Otto.Email, Otto.Id, PortalRoles.Learner, PortalRoles.Manager);

        var cut = Render();

        Assert.Contains("Nobody reports to you yet", cut.Find("[data-test='no-team']").TextContent, StringComparison.Ordinal);
        Assert.Empty(cut.FindAll("[data-test='status-summary']"));
    }
}
