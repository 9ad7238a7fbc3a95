using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Certifications.Tests.Core.Progress;

namespace Certifications.Tests.Portal.Api;

public sealed class ImportsApiTests(ApiTestPortal fixture) : IClassFixture<ApiTestPortal>
{
    private async Task<(string Email, string Certification)> LearnerWithCertificationAsync()
    {
        var course = await fixture.CourseAsync("Import course");
        var learner = await fixture.LearnerAsync("Imported Learner");
        await using var db = await fixture.DbAsync();
        var name = $"Imported {Guid.NewGuid():N}";
        var certificationId = await ProgressData.AddCertificationAsync(db, name, [course.Id], new DateOnly(2026, 1, 1));
        await ProgressData.AssignAsync(db, certificationId, learner.Id, fixture.Now);
        return (learner.Email, name);
    }

    private async Task<JsonElement> PostAsync(HttpContent content, bool? dryRun)
    {
        var (_, _, secret) = await fixture.NewKeyAsync();
        using var client = fixture.Client();
        client.DefaultRequestHeaders.Add("X-Api-Key", secret);
        var query = dryRun is { } d ? $"?dryRun={d.ToString().ToLowerInvariant()}" : "";
        using var response = await client.PostAsync(new Uri("/api/v1/imports/completions" + query, UriKind.Relative), content);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.JsonAsync();
    }

    [Fact]
    public async Task ACsvBodyIsADryRunByDefaultAndJsonAppliesTheSameRows()
    {
        var (email, certification) = await LearnerWithCertificationAsync();
        var completedAt = fixture.Now.AddDays(-400).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

        using var csv = new StringContent($"learner,certification,completed_at\n{email},{certification},{completedAt}\n", Encoding.UTF8, "text/csv");
        var dryRun = await PostAsync(csv, dryRun: null);
        using var json = JsonContent.Create(new { rows = new[] { new { learner = email, certification, completedAt } } });
        var applied = await PostAsync(json, dryRun: false);
        using var again = JsonContent.Create(new { rows = new[] { new { learner = email, certification, completedAt } } });
        var repeated = await PostAsync(again, dryRun: false);

        Assert.False(dryRun.GetProperty("applied").GetBoolean());
        Assert.Equal("newPeriod", dryRun.GetProperty("rows")[0].GetProperty("verdict").GetString());
        Assert.True(applied.GetProperty("applied").GetBoolean());
        Assert.Equal(1, applied.GetProperty("newPeriods").GetInt32());
        Assert.Equal(1, applied.GetProperty("rows")[0].GetProperty("line").GetInt32());
        Assert.Equal("alreadyRecorded", repeated.GetProperty("rows")[0].GetProperty("verdict").GetString());
    }

    [Fact]
    public async Task ABadRowIsNamedAndNothingIsApplied()
    {
        using var json = JsonContent.Create(new { rows = new[] { new { learner = "nobody@example.com", certification = "Nothing", completedAt = "2025-01-01" } } });

        var report = await PostAsync(json, dryRun: false);

        Assert.False(report.GetProperty("applied").GetBoolean());
        Assert.Equal(1, report.GetProperty("bad").GetInt32());
        Assert.Equal("unknownLearner", report.GetProperty("rows")[0].GetProperty("verdict").GetString());
    }
}
