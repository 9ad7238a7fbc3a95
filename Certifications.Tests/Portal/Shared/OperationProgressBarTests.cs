using Bunit;
using Certifications.Core.Progress;
using Certifications.Portal.Components.Shared;
using Certifications.Tests.Infrastructure;

namespace Certifications.Tests.Portal.Shared;

/// <summary>
/// The bar a long operation shows (publishing, a recompute, an import): only that it is working until the service first
/// reports, then the stage and how far it has got, repainted from reports the service makes off the page's thread.
/// </summary>
public sealed class OperationProgressBarTests : ComponentTestContext
{
    [Fact]
    public void BeforeTheFirstReportItSaysOnlyThatItIsWorking()
    {
        var cut = Context.Render<OperationProgressBar>(p => p.Add(c => c.Working, "Publishing…"));

        Assert.Equal("Publishing…", cut.Find("[data-test='operation-progress-text']").TextContent.Trim());
        Assert.Empty(cut.FindAll("[data-test='operation-progress-bar']"));
        Assert.Equal("polite", cut.Find("[role='status']").GetAttribute("aria-live"));
    }

    [Fact]
    public async Task ReportsFromAnotherThreadRepaintTheStageAndHowFarItHasGot()
    {
        var cut = Context.Render<OperationProgressBar>(p => p.Add(c => c.Working, "Publishing…"));
        var reporter = new CircuitProgress(cut.InvokeAsync, progress => cut.Render(p => p.Add(c => c.Progress, progress)));

        await Task.Run(() => reporter.Report(new OperationProgress("Assigning learners", 1_234, 5_000)));

        cut.WaitForAssertion(() => Assert.Equal(
            "Assigning learners: 1,234 of 5,000 (24 %)",
            cut.Find("[data-test='operation-progress-text']").TextContent.Trim()));
        Assert.Equal("24", cut.Find("[data-test='operation-progress-bar']").GetAttribute("data-value"));

        await Task.Run(() => reporter.Report(new OperationProgress("Assigning learners", 5_000, 5_000)));

        cut.WaitForAssertion(() => Assert.Equal("100", cut.Find("[data-test='operation-progress-bar']").GetAttribute("data-value")));
    }
}
