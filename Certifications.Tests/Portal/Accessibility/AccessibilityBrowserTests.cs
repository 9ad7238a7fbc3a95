using Certifications.Tests.Infrastructure;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace Certifications.Tests.Portal.Accessibility;

/// <summary>
/// axe-core on every main page, in the role that uses it, in the light and the dark theme: no serious or critical
/// violation. Nothing is excluded: every rule runs on the whole page.
/// </summary>
[Collection(BrowserTests.Name)]
public sealed class AccessibilityBrowserTests(BrowserFixture browser)
{
    public static TheoryData<string> Pages => MainPages.Names;

    [SqliteOnlyTheory(MainPages.SameOnEveryDatabase)]
    [MemberData(nameof(Pages))]
    public async Task EveryMainPageHasNoSeriousAccessibilityViolationInEitherTheme(string name)
    {
        var page = await MainPages.OpenAsync(browser, name, dark: false);
        var light = await SeriousViolationsAsync(page);
        await MainPages.SwitchThemeAsync(browser, page, name, dark: true);
        var dark = await SeriousViolationsAsync(page);
        await page.Context.CloseAsync();

        Assert.True(light.Count + dark.Count == 0,
            $"{name} in the light theme:\n{string.Join("\n", light)}\n{name} in the dark theme:\n{string.Join("\n", dark)}");
    }

    /// <summary>Each violation of impact serious or critical: the rule, its help and every element at fault.</summary>
    private static async Task<List<string>> SeriousViolationsAsync(IPage page)
    {
        var result = await page.RunAxe();
        return [.. result.Violations
            .Where(v => v.Impact is "serious" or "critical")
            .Select(v => $"{v.Id} ({v.Impact}): {v.Help}\n    at {string.Join("\n    at ", v.Nodes.Select(Describe))}")];
    }

    private static string Describe(AxeResultNode node) => $"{node.Target} {node.Html[..Math.Min(node.Html.Length, 160)]}";
}
