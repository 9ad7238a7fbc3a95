using System.Net;
using System.Text;
using Certifications.Core.Auditing;
using Certifications.Core.Catalog;
using Certifications.Core.Enrollment;
using Certifications.Core.History;
using Certifications.Core.Security;
using Certifications.Tests.Portal.Api;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Certifications.Tests.Portal.Exports;

/// <summary>
/// Rita, who reports to Maria, holds Workplace Safety, marked complete by an admin yesterday with a scanned certificate;
/// "=HYPERLINK(...)" (a name someone typed to attack spreadsheets) holds it too and is exempt. Rita also holds Secret
/// Audit, a certification invisible to learners, marked complete with a file. Otto reports to nobody; Ada is an admin.
/// </summary>
public sealed class CorrectionsPortal : ApiTestPortal
{
    public static readonly byte[] Scan = [37, 80, 68, 70, 45, 1, 2, 3];

    public Learner Ada { get; private set; } = null!;

    public Learner Maria { get; private set; } = null!;

    public Learner Rita { get; private set; } = null!;

    public Learner Otto { get; private set; } = null!;

    public Learner Formula { get; private set; } = null!;

    public int Safety { get; private set; }

    public string SafetyName { get; private set; } = "";

    public long RitasRecord { get; private set; }

    public long InvisibleRecord { get; private set; }

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Ada = await LearnerAsync("Ada Admin");
        Maria = await LearnerAsync("Maria Manager");
        Rita = await LearnerAsync("Rita Report", Maria.Id);
        Otto = await LearnerAsync("Otto Outsider");
        await using (var db = await DbAsync())
        {
            var email = $"formula.{Guid.NewGuid():N}@example.com";
            Formula = new Learner { Name = "=HYPERLINK(\"http://evil.example.com\")", Email = email, NormalizedEmail = email.ToUpperInvariant() };
            db.Learners.Add(Formula);
            await db.SaveChangesAsync();
        }

        var course = await CourseAsync("Safety 101");
        Safety = await PublishedCertificationAsync("Workplace Safety", [course.Id]);
        var secret = await PublishedCertificationAsync("Secret Audit", [course.Id], invisible: true);
        var corrections = Portal.Services.GetRequiredService<RecordCorrections>();
        var yesterday = DateOnly.FromDateTime(Now.AddDays(-1));
        await using (var db = await DbAsync())
        {
            SafetyName = await db.Certifications.Where(c => c.Id == Safety).Select(c => c.Name).SingleAsync();
            foreach (var (certification, learner) in new[] { (Safety, Rita), (Safety, Formula), (secret, Rita) })
            {
                db.Assignments.Add(new Assignment
                {
                    CertificationId = certification,
                    LearnerId = learner.Id,
                    AssignedAt = Now.AddDays(-10),
                    StatusChangedAt = Now.AddDays(-10),
                    Sources = [new AssignmentSource { Kind = AssignmentSourceKind.Individual, AddedAt = Now.AddDays(-10) }],
                });
            }

            await db.SaveChangesAsync();
        }

        async Task<int> AssignmentOf(int certification, Learner learner)
        {
            await using var db = await DbAsync();
            return await db.Assignments.Where(a => a.CertificationId == certification && a.LearnerId == learner.Id).Select(a => a.Id).SingleAsync();
        }

        async Task<long> MarkCompleteAsync(int certification, string fileName)
        {
            await corrections.MarkCompleteAsync(Actor.System, await AssignmentOf(certification, Rita), new MarkCompleteRequest
            {
                CompletedOn = yesterday,
                Evidence = "Paper certificate",
                File = new EvidenceFile(fileName, "application/pdf", Scan),
            });
            await using var db = await DbAsync();
            return await db.CompletionRecords.Where(r => r.CertificationId == certification && r.LearnerId == Rita.Id).Select(r => r.Id).SingleAsync();
        }

        RitasRecord = await MarkCompleteAsync(Safety, "Rita's certificate.pdf");
        InvisibleRecord = await MarkCompleteAsync(secret, "audit.pdf");
        await corrections.ExemptAsync(Actor.System, await AssignmentOf(Safety, Formula), new DateWithReasonRequest { Reason = "@SUM(1+1) works nights" });
        await AccountAsync(Ada, PortalRoles.Admin);
        await AccountAsync(Maria, PortalRoles.Manager);
        await AccountAsync(Rita);
        await AccountAsync(Otto);
    }
}

public sealed class ExportEndpointTests(CorrectionsPortal fixture) : IClassFixture<CorrectionsPortal>
{
    private string LearnersPath => $"/exports/certifications/{fixture.Safety}/learners";

    private static async Task<string> TextOfAsync(HttpResponseMessage response)
    {
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(Encoding.UTF8.GetPreamble(), bytes[..3]);
        return Encoding.UTF8.GetString(bytes[3..]);
    }

    /// <summary>The stored period of the learner's Workplace Safety, as the export writes its dates (the organisation's zone is UTC).</summary>
    private async Task<(string Started, string Completed)> PeriodOfAsync(Learner learner)
    {
        await using var db = await fixture.DbAsync();
        var period = await db.Periods.Where(p => p.Assignment!.CertificationId == fixture.Safety && p.Assignment.LearnerId == learner.Id).SingleAsync();
        static string Day(DateTime? at) => at?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) ?? "";
        return (Day(period.WindowStart), Day(period.CompletedAt));
    }

    private static string? PathOf(Uri? location) =>
        location is null ? null : location.IsAbsoluteUri ? location.AbsolutePath : location.OriginalString.Split('?')[0];

    private static string? FileNameOf(HttpResponseMessage response) =>
        response.Content.Headers.ContentDisposition?.FileNameStar ?? response.Content.Headers.ContentDisposition?.FileName?.Trim('"');

    [Fact]
    public async Task AnAdminDownloadsTheLearnersWithStatusDatesAndSourceAndNoFormulaRuns()
    {
        using var ada = await fixture.SignInAsync(fixture.Ada);

        using var response = await ada.GetAsync(new Uri(LearnersPath, UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("utf-8", response.Content.Headers.ContentType?.CharSet);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Matches($@"^{System.Text.RegularExpressions.Regex.Escape(fixture.SafetyName)} - learners \d{{4}}-\d{{2}}-\d{{2}}\.csv$", FileNameOf(response));
        Assert.True(response.Headers.CacheControl?.NoStore);
        var lines = (await TextOfAsync(response)).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        var formula = await PeriodOfAsync(fixture.Formula);
        var rita = await PeriodOfAsync(fixture.Rita);
        Assert.Equal(
            [
                "Learner,Email,Assigned through,Status,Period started,Completed,Expires,Due,Standing from",
                $"\"'=HYPERLINK(\"\"http://evil.example.com\"\")\",{fixture.Formula.Email},added individually,Exempt,{formula.Started},,,,Exempt",
                $"Rita Report,{fixture.Rita.Email},added individually,Completed,{rita.Started},{rita.Completed},,,Admin override",
            ],
            lines);
    }

    [Fact]
    public async Task TheAuditTrailsNameEachCorrectionWithItsReasonInAColumnOfItsOwn()
    {
        using var ada = await fixture.SignInAsync(fixture.Ada);

        using var certification = await ada.GetAsync(new Uri($"/exports/certifications/{fixture.Safety}/audit-trail", UriKind.Relative));
        using var learner = await ada.GetAsync(new Uri($"/exports/learners/{fixture.Rita.Id}/audit-trail", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, certification.StatusCode);
        Assert.EndsWith(".csv", FileNameOf(certification), StringComparison.Ordinal);
        Assert.Contains(" - audit trail ", FileNameOf(certification), StringComparison.Ordinal);
        var trail = (await TextOfAsync(certification)).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("When (UTC),Who,Action,Concerning,What,Reason", trail[0]);
        Assert.Contains(trail, line => line.Contains(",system,Created,", StringComparison.Ordinal));
        Assert.Contains(trail, line => line.Contains($",system,Marked complete,Rita Report <{fixture.Rita.Email}>,", StringComparison.Ordinal)
            && line.Contains("Evidence: Paper certificate", StringComparison.Ordinal));
        Assert.Contains(trail, line => line.Contains(",system,Exempted,\"'=HYPERLINK(", StringComparison.Ordinal)
            && line.EndsWith(",\"'@SUM(1+1) works nights\"", StringComparison.Ordinal));

        Assert.Equal(HttpStatusCode.OK, learner.StatusCode);
        Assert.StartsWith("Rita Report - audit trail ", FileNameOf(learner), StringComparison.Ordinal);
        var ritas = (await TextOfAsync(learner)).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, ritas.Count(line => line.Contains(",system,Marked complete,", StringComparison.Ordinal)));
        Assert.DoesNotContain(ritas, line => line.Contains("Exempted", StringComparison.Ordinal));
    }

    [Fact]
    public async Task OnlyAdminsDownloadExportsWhoeverElseIsRefusedAndNobodySignedInIsSentToSignIn()
    {
        string[] paths = [LearnersPath, $"/exports/certifications/{fixture.Safety}/audit-trail", $"/exports/learners/{fixture.Rita.Id}/audit-trail"];
        using var anonymous = fixture.Client();
        using var rita = await fixture.SignInAsync(fixture.Rita);
        using var maria = await fixture.SignInAsync(fixture.Maria);
        using var ada = await fixture.SignInAsync(fixture.Ada);

        foreach (var path in paths)
        {
            using var nobody = await anonymous.GetAsync(new Uri(path, UriKind.Relative));
            using var learner = await rita.GetAsync(new Uri(path, UriKind.Relative));
            using var manager = await maria.GetAsync(new Uri(path, UriKind.Relative));

            Assert.Equal(HttpStatusCode.Redirect, nobody.StatusCode);
            Assert.Equal("/account/sign-in", PathOf(nobody.Headers.Location));
            Assert.Equal(HttpStatusCode.Forbidden, learner.StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, manager.StatusCode);
        }

        using var unknownCertification = await ada.GetAsync(new Uri("/exports/certifications/999999/learners", UriKind.Relative));
        using var unknownLearner = await ada.GetAsync(new Uri("/exports/learners/999999/audit-trail", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, unknownCertification.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknownLearner.StatusCode);
        await using var db = await fixture.DbAsync();
        Assert.True(await db.AuditEntries.AnyAsync(e => e.EntityType == "Access" && e.Actor == fixture.Maria.Email && e.EntityId == "exporting a certification's learners"));
    }
}
