using System.Net;
using Certifications.Core.Enrollment;
using Certifications.Core.Catalog;
using Certifications.Core.Progress;
using Certifications.Core.Security;
using Certifications.Tests.Portal.Api;
using Microsoft.EntityFrameworkCore;
using UglyToad.PdfPig;

namespace Certifications.Tests.Portal.Certificates;

/// <summary>
/// Rita, who reports to Maria, completed Workplace Safety on 10 February 2026; Otto reports to nobody. Verification is
/// limited to three checks a minute per address, so the limit can be reached.
/// </summary>
public sealed class CertificatePortal() : ApiTestPortal(new Dictionary<string, string?> { ["Certificates:VerificationsPerMinute"] = "3" })
{
    public Learner Maria { get; private set; } = null!;

    public Learner Rita { get; private set; } = null!;

    public Learner Otto { get; private set; } = null!;

    public int Safety { get; private set; }

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Maria = await LearnerAsync("Maria Manager");
        Rita = await LearnerAsync("Rita Report", Maria.Id);
        Otto = await LearnerAsync("Otto Outsider");
        var course = await CourseAsync("Safety 101");
        Safety = await PublishedCertificationAsync("Workplace Safety", [course.Id]);
        await using var db = await DbAsync();
        var at = new DateTime(2026, 2, 10, 9, 0, 0, DateTimeKind.Utc);
        db.Assignments.Add(new Assignment
        {
            CertificationId = Safety,
            LearnerId = Rita.Id,
            AssignedAt = at,
            StatusChangedAt = at,
            Status = AssignmentStatus.Completed,
            Periods = [new Period { Number = 1, WindowStart = at.AddDays(-5), CompletedAt = at }],
        });
        await db.SaveChangesAsync();
        await AccountAsync(Maria, PortalRoles.Manager);
        await AccountAsync(Rita);
        await AccountAsync(Otto);
    }
}

public sealed class CertificateEndpointTests(CertificatePortal fixture) : IClassFixture<CertificatePortal>
{
    private string DownloadPath => $"/certificates/{fixture.Rita.Id}/{fixture.Safety}/1";

    private async Task<string> RitasCodeAsync()
    {
        await using var db = await fixture.DbAsync();
        return await db.Certificates.Where(c => c.Period!.Assignment!.LearnerId == fixture.Rita.Id).Select(c => c.Code).SingleAsync();
    }

    [Fact]
    public async Task TheLearnerAndTheirManagerDownloadThePdfAndAnotherLearnerIsRefused()
    {
        using var rita = await fixture.SignInAsync(fixture.Rita);
        using var maria = await fixture.SignInAsync(fixture.Maria);
        using var otto = await fixture.SignInAsync(fixture.Otto);

        using var own = await rita.GetAsync(new Uri(DownloadPath, UriKind.Relative));
        using var managed = await maria.GetAsync(new Uri(DownloadPath, UriKind.Relative));
        using var refused = await otto.GetAsync(new Uri(DownloadPath, UriKind.Relative));
        using var notCompleted = await rita.GetAsync(new Uri($"/certificates/{fixture.Rita.Id}/{fixture.Safety}/2", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        Assert.Equal("application/pdf", own.Content.Headers.ContentType?.MediaType);
        var fileName = own.Content.Headers.ContentDisposition?.FileNameStar ?? own.Content.Headers.ContentDisposition?.FileName?.Trim('"');
        Assert.StartsWith("Rita Report - Workplace Safety", fileName, StringComparison.Ordinal);
        Assert.EndsWith(".pdf", fileName, StringComparison.Ordinal);
        using (var pdf = PdfDocument.Open(await own.Content.ReadAsByteArrayAsync()))
        {
            var text = string.Join(" ", pdf.GetPage(1).GetWords().Select(w => w.Text));
            Assert.Contains("Rita Report", text, StringComparison.Ordinal);
            Assert.Contains("Completed on 10 February 2026", text, StringComparison.Ordinal);
        }

        Assert.Equal(HttpStatusCode.OK, managed.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, notCompleted.StatusCode);
    }

    [Fact]
    public async Task AnyoneWithoutSigningInLearnsWhetherACodeIsValidAndNothingMoreAndIsLimitedPerAddress()
    {
        using (var rita = await fixture.SignInAsync(fixture.Rita))
        {
            (await rita.GetAsync(new Uri(DownloadPath, UriKind.Relative))).Dispose();
        }

        var code = await RitasCodeAsync();
        using var anonymous = fixture.Client();

        var valid = await anonymous.GetStringAsync(new Uri($"/verify/{code.ToLowerInvariant()}", UriKind.Relative));
        var unknown = await anonymous.GetStringAsync(new Uri("/verify/0000-0000-0000-0000", UriKind.Relative));
        await anonymous.GetStringAsync(new Uri("/verify/not-a-code", UriKind.Relative));
        using var limited = await anonymous.GetAsync(new Uri($"/verify/{code}", UriKind.Relative));

        Assert.Contains("This certificate is valid.", valid, StringComparison.Ordinal);
        Assert.Contains("Rita Report", valid, StringComparison.Ordinal);
        Assert.Contains("Workplace Safety", valid, StringComparison.Ordinal);
        Assert.Contains("10 February 2026", valid, StringComparison.Ordinal);
        Assert.Contains("Does not expire", valid, StringComparison.Ordinal);
        Assert.DoesNotContain(fixture.Rita.Email, valid, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("No certificate has this code.", unknown, StringComparison.Ordinal);
        Assert.DoesNotContain("Rita Report", unknown, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
    }
}
