using System.Net;

namespace Certifications.Tests.Portal.Exports;

/// <summary>
/// The file attached when Rita's certification was marked complete: hers and the admins', a download whatever its type,
/// and nobody else's (see <see cref="CorrectionsPortal"/>).
/// </summary>
public sealed class EvidenceEndpointTests(CorrectionsPortal fixture) : IClassFixture<CorrectionsPortal>
{
    private static Uri PathOf(long recordId) => new($"/evidence/{recordId}", UriKind.Relative);

    [Fact]
    public async Task AnAdminAndTheLearnerThemselfDownloadTheFileAsAnAttachmentOfItsType()
    {
        using var ada = await fixture.SignInAsync(fixture.Ada);
        using var rita = await fixture.SignInAsync(fixture.Rita);

        using var admin = await ada.GetAsync(PathOf(fixture.RitasRecord));
        using var own = await rita.GetAsync(PathOf(fixture.RitasRecord));

        foreach (var response in new[] { admin, own })
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("application/pdf", response.Content.Headers.ContentType?.MediaType);
            Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
            Assert.Equal("Rita's certificate.pdf", response.Content.Headers.ContentDisposition?.FileNameStar);
            Assert.Equal(["nosniff"], response.Headers.GetValues("X-Content-Type-Options"));
            Assert.True(response.Headers.CacheControl?.NoStore);
            Assert.Equal(CorrectionsPortal.Scan, await response.Content.ReadAsByteArrayAsync());
        }
    }

    [Fact]
    public async Task TheLearnersManagerAnotherLearnerAndNobodySignedInDoNotGetIt()
    {
        using var maria = await fixture.SignInAsync(fixture.Maria);
        using var otto = await fixture.SignInAsync(fixture.Otto);
        using var anonymous = fixture.Client();
        using var ada = await fixture.SignInAsync(fixture.Ada);

        using var manager = await maria.GetAsync(PathOf(fixture.RitasRecord));
        using var other = await otto.GetAsync(PathOf(fixture.RitasRecord));
        using var nobody = await anonymous.GetAsync(PathOf(fixture.RitasRecord));
        using var unknown = await ada.GetAsync(PathOf(999_999));

        Assert.Equal(HttpStatusCode.Forbidden, manager.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, other.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, nobody.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task TheLearnerDoesNotGetTheFileOfACertificationInvisibleToThem()
    {
        using var rita = await fixture.SignInAsync(fixture.Rita);
        using var ada = await fixture.SignInAsync(fixture.Ada);

        using var own = await rita.GetAsync(PathOf(fixture.InvisibleRecord));
        using var admin = await ada.GetAsync(PathOf(fixture.InvisibleRecord));

        Assert.Equal(HttpStatusCode.Forbidden, own.StatusCode);
        Assert.Equal(HttpStatusCode.OK, admin.StatusCode);
    }
}
