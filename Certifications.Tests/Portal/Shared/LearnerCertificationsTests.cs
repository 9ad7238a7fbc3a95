using Bunit;
using Certifications.Core.Certifications;
using Certifications.Core.Enrollment;
using Certifications.Core.Progress;
using Certifications.Portal.Components.Shared;
using Certifications.Tests.Infrastructure;

namespace Certifications.Tests.Portal.Shared;

/// <summary>The learner's panel as it renders: courses against the minimum, dates in words, history, and what can be started.</summary>
public sealed class LearnerCertificationsTests : ComponentTestContext
{
    private static PanelCertification Certification(
        string name,
        AssignmentStatus status,
        IReadOnlyList<PanelCourse>? courses = null,
        int? renewalMonths = null,
        DateOnly? due = null,
        DateOnly? completed = null,
        DateOnly? expires = null,
        DateOnly? windowOpens = null,
        IReadOnlyList<PanelPeriod>? history = null)
    {
        courses ??= [];
        return new PanelCertification(
            1, 10, name, null, IsInvisible: false, status, "", courses.Count(c => c.IsSatisfied), courses.Count, 70m, renewalMonths,
            new DateOnly(2026, 1, 1), new DateOnly(2026, 1, 1), due, completed, expires, windowOpens, null, courses, history ?? []);
    }

    private static LearnerPanel Panel(
        IReadOnlyList<PanelCertification> certifications,
        bool ownPanel = true,
        IReadOnlyList<PanelRetiredCompletion>? retired = null,
        IReadOnlyList<PanelAvailableCertification>? available = null) =>
        new(7, "Bob Safety", "bob@example.com", null, ownPanel, certifications, retired ?? [], available ?? []);

    /// <summary>Percentages are written with a no-break space so that they never wrap; the assertions read plain spaces.</summary>
    private static string Spaced(string text) => text.Replace('\u00A0', ' ').Trim();

    private static readonly PanelAvailableCertification Sales =
        new(5, "Sales 101", "The sales basics.", null, null, null, 70m, ["Sales 101", "Negotiation"]);

    [Fact]
    public void AFileAttachedAsEvidenceIsADownloadBesideTheCorrectionThatNamesIt()
    {
        var item = Certification("Forklift", AssignmentStatus.Completed, completed: new DateOnly(2026, 3, 8)) with
        {
            Corrections = ["Completed by admin override on 8 Mar 2026 (admin@example.com): Paper certificate [scan.pdf]"],
            Evidence = [new PanelEvidence(42, "scan.pdf")],
        };

        var cut = Context.Render<LearnerCertifications>(p => p.Add(c => c.Panel, Panel([item])));

        var link = cut.Find("a[data-test='evidence-download']");
        Assert.Equal("/evidence/42", link.GetAttribute("href"));
        Assert.True(link.HasAttribute("download"));
        Assert.Equal("Evidence: scan.pdf", link.TextContent.Trim());
        Assert.Contains("Paper certificate", cut.Find("[data-test='correction']").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void EachCourseShowsItsGradeAgainstTheMinimumOrThatNoGradedResultCameYet()
    {
        var panel = Panel([Certification("Workplace Safety", AssignmentStatus.InProgress, [
            new PanelCourse(1, "Safety 101", 85m, 70m, true, 2, 2, CourseVerdict.Satisfied, "meets", []),
            new PanelCourse(2, "Manual Handling", 69.999m, 70m, false, 1, 1, CourseVerdict.BelowMinimum, "Grade 69.99 % is below the minimum of 70 %", []),
            new PanelCourse(3, "First Aid", null, 70m, false, 1, 0, CourseVerdict.MissingSteps, "1 of 1 graded steps has no result", []),
        ], due: new DateOnly(2027, 3, 12))]);

        var cut = Context.Render<LearnerCertifications>(p => p.Add(c => c.Panel, panel));

        var rows = cut.FindAll("[data-test='course-row']");
        Assert.Equal(["85 %", "69.99 %", "no graded result yet"], rows.Select(r => Spaced(r.QuerySelector("[data-test='course-grade']")!.TextContent)));
        Assert.Equal(["true", "false", "false"], rows.Select(r => r.GetAttribute("data-satisfied")));
        Assert.All(rows, r => Assert.Contains("70 %", Spaced(r.TextContent), StringComparison.Ordinal));
        Assert.Contains("below the minimum of 70 %", rows[1].TextContent, StringComparison.Ordinal);
        Assert.Equal("Due 12 Mar 2027", cut.Find("[data-test='key-dates']").TextContent);
        Assert.Contains("1 of 3 courses satisfied", cut.Find("[data-test='progress']").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void ACertificationOfOneCourseCountsItInTheSingular()
    {
        var panel = Panel([Certification("Safety Refresher", AssignmentStatus.NotStarted, [
            new PanelCourse(1, "Safety 101", null, 70m, false, 2, 0, CourseVerdict.MissingSteps, "2 of 2 graded steps have no result", []),
        ])]);

        var cut = Context.Render<LearnerCertifications>(p => p.Add(c => c.Panel, panel));

        Assert.Equal("0 of 1 course satisfied", cut.Find("[data-test='progress']").TextContent.Trim());
    }

    [Fact]
    public async Task WhyOpensEveryResultOfTheCourseWithItsVerdictAndReasonUnderTheCoursesOwnReason()
    {
        var panel = Panel([Certification("Workplace Safety", AssignmentStatus.InProgress, [
            new PanelCourse(1, "Safety 101", 60m, 70m, false, 1, 1, CourseVerdict.BelowMinimum, "Grade 60 % is below the minimum of 70 %", [
                new PanelResult(3, "Quiz 1", 60m, new DateTime(2026, 3, 2, 10, 0, 0), ResultVerdict.Counted, "Best score on Quiz 1 in the window"),
                new PanelResult(2, "Quiz 1", 50m, new DateTime(2026, 3, 2, 9, 30, 15), ResultVerdict.Superseded, "Superseded by 60 % on 2 Mar 2026 10:00"),
                new PanelResult(1, "Quiz 1", 95m, new DateTime(2026, 2, 20, 8, 0, 0), ResultVerdict.BeforeWindow, "Before the counting window that starts 1 Mar 2026 00:00"),
            ]),
            new PanelCourse(2, "First Aid", null, 70m, false, 1, 0, CourseVerdict.MissingSteps, "1 of 1 graded steps has no result in the window: Drill", []),
        ])]);
        var cut = Context.Render<LearnerCertifications>(p => p.Add(c => c.Panel, panel));
        Assert.Empty(cut.FindAll("[data-test='course-explanation']"));

        await cut.InvokeAsync(() => cut.FindAll("button[data-test='why']")[0].Click());

        var explanation = cut.Find("[data-test='course-explanation']");
        Assert.Equal("1", explanation.GetAttribute("data-course-id"));
        Assert.Equal("Grade 60 % is below the minimum of 70 %.", Spaced(explanation.QuerySelector("[data-test='course-reason']")!.TextContent));
        var results = explanation.QuerySelectorAll("[data-test='result-explanation']");
        Assert.Equal(["Counted", "Superseded", "BeforeWindow"], results.Select(r => r.GetAttribute("data-verdict")));
        Assert.Contains("Quiz 1 · 50 % · 2 Mar 2026 09:30:15", Spaced(results[1].TextContent), StringComparison.Ordinal);
        Assert.Contains("Before the window", results[2].TextContent, StringComparison.Ordinal);
        Assert.Equal("Before the counting window that starts 1 Mar 2026 00:00", results[2].QuerySelector("[data-test='result-reason']")!.TextContent);
        Assert.Equal("true", cut.FindAll("button[data-test='why']")[0].GetAttribute("aria-expanded"));

        await cut.InvokeAsync(() => cut.FindAll("button[data-test='why']")[1].Click());
        var second = cut.FindAll("[data-test='course-explanation']")[1];
        Assert.Contains("no result in the window: Drill", second.TextContent, StringComparison.Ordinal);
        Assert.Contains("No result has been recorded", second.TextContent, StringComparison.Ordinal);

        await cut.InvokeAsync(() => cut.FindAll("button[data-test='why']")[0].Click());
        Assert.Equal(["2"], cut.FindAll("[data-test='course-explanation']").Select(e => e.GetAttribute("data-course-id")));
    }

    [Fact]
    public void ARenewingCertificationSaysUntilWhenItHoldsAndWhenTheRenewalWindowOpens()
    {
        var panel = Panel([Certification("Workplace Safety", AssignmentStatus.Certified, renewalMonths: 12,
            completed: new DateOnly(2026, 3, 3), expires: new DateOnly(2027, 3, 3), windowOpens: new DateOnly(2027, 2, 1))]);

        var cut = Context.Render<LearnerCertifications>(p => p.Add(c => c.Panel, panel));

        Assert.Equal("Certified until 3 Mar 2027, renewal window opens 1 Feb 2027", cut.Find("[data-test='key-dates']").TextContent);
        Assert.Contains("Renews every year", cut.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheHistoryListsEveryCompletedPeriodWithItsDatesAndGrades()
    {
        var panel = Panel([Certification("Security Awareness", AssignmentStatus.Certified, renewalMonths: 1,
            completed: new DateOnly(2026, 3, 20), expires: new DateOnly(2026, 5, 2), windowOpens: new DateOnly(2026, 4, 17),
            history: [
                new PanelPeriod(2, new DateOnly(2026, 3, 20), new DateOnly(2026, 5, 2), false, [new PanelPeriodGrade("Safety 101", 95m)]),
                new PanelPeriod(1, new DateOnly(2026, 3, 2), new DateOnly(2026, 4, 2), true, [new PanelPeriodGrade("Safety 101", 85m)]),
            ])]);

        var cut = Context.Render<LearnerCertifications>(p => p.Add(c => c.Panel, panel));
        await cut.InvokeAsync(() => cut.Find("[data-test='period-history'] .mud-expand-panel-header").Click());

        cut.WaitForAssertion(() =>
        {
            var periods = cut.FindAll("[data-test='history-period']");
            Assert.Equal(["2", "1"], periods.Select(p => p.GetAttribute("data-period")));
            Assert.Contains("Renewal 1: completed 20 Mar 2026, valid until 2 May 2026", periods[0].TextContent, StringComparison.Ordinal);
            Assert.Contains("First completion: completed 2 Mar 2026, expired 2 Apr 2026", periods[1].TextContent, StringComparison.Ordinal);
            Assert.Contains("Safety 101 85 %", Spaced(periods[1].TextContent), StringComparison.Ordinal);
        });
        Assert.Contains("History: 2 completed periods", cut.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void CompletionsOfRetiredCertificationsAreListedAsNoLongerOfferedWithTheirDates()
    {
        var panel = Panel([], retired: [new PanelRetiredCompletion(
            8, "Legacy Fire Warden", false, CertificationState.Retired, new DateOnly(2026, 10, 29),
            [new PanelPeriod(1, new DateOnly(2026, 9, 7), null, false, [])])]);

        var cut = Context.Render<LearnerCertifications>(p => p.Add(c => c.Panel, panel));

        Assert.Contains("Completed (no longer offered)", cut.Markup, StringComparison.Ordinal);
        var item = cut.Find("[data-test='no-longer-offered']");
        Assert.Contains("Legacy Fire Warden", item.TextContent, StringComparison.Ordinal);
        Assert.Equal("Retired 29 Oct 2026", cut.Find("[data-test='retired-state']").TextContent.Trim());
        Assert.Equal("Completed 7 Sep 2026", cut.Find("[data-test='retired-period']").TextContent.Trim());
    }

    [Fact]
    public void TheLearnerGetsAStartButtonForEachAvailableCertificationAndClickingItAsksToStartThatOne()
    {
        var started = new List<int>();
        var cut = Context.Render<LearnerCertifications>(p => p
            .Add(c => c.Panel, Panel([], ownPanel: true, available: [Sales]))
            .Add(c => c.OnStart, id => started.Add(id)));

        Assert.Contains("Sales 101", cut.Find("[data-test='available-certification']").TextContent, StringComparison.Ordinal);
        cut.Find("button[data-test='start-certification']").Click();

        Assert.Equal([5], started);
    }

    [Fact]
    public void SomeoneElseLookingAtTheLearnersPanelSeesWhatIsAvailableButCannotStartIt()
    {
        var cut = Context.Render<LearnerCertifications>(p => p.Add(c => c.Panel, Panel([], ownPanel: false, available: [Sales])));

        Assert.Single(cut.FindAll("[data-test='available-certification']"));
        Assert.Empty(cut.FindAll("[data-test='start-certification']"));
        Assert.Contains("Only the learner can start these", cut.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void APageThatCannotStartOneShowsNoStartButtonEvenOnTheLearnersOwnPanel()
    {
        var cut = Context.Render<LearnerCertifications>(p => p.Add(c => c.Panel, Panel([], ownPanel: true, available: [Sales])));

        Assert.Single(cut.FindAll("[data-test='available-certification']"));
        Assert.Empty(cut.FindAll("[data-test='start-certification']"));
    }
}
