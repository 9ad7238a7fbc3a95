using System.Text.RegularExpressions;
using Certifications.Core.Security;
using Certifications.Tests.Infrastructure;

namespace Certifications.Tests.Portal.Admin.Import;

/// <summary>
/// The import page as the browser first receives it, before it is live: its file picker is off, since a file chosen
/// then would be dropped without a word. It turns on once the page can read the file (the browser tests choose one then).
/// </summary>
[Collection(PortalWithDemoData.Name)]
public sealed partial class ImportPagePrerenderTests(PortalWithDemoData fixture)
{
    [Fact]
    public async Task TheFilePickerIsOffUntilThePageIsLive()
    {
        using var admin = await PortalSignIn.AsAsync(fixture.Portal, PortalRoles.Admin);

        var html = await admin.GetStringAsync(new Uri("/admin/import", UriKind.Relative));

        var input = FileInput().Match(html);
        Assert.True(input.Success, "The import page has no file input.");
        Assert.Contains(" disabled", input.Value, StringComparison.Ordinal);
    }

    [GeneratedRegex("<input[^>]*id=\"import-file\"[^>]*>")]
    private static partial Regex FileInput();
}
