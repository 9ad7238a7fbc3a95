using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Certifications.Core.Auditing;
using Certifications.Core.Catalog;
using Certifications.Core.Enrollment;
using Certifications.Core.Persistence;
using Certifications.Core.Progress;
using Certifications.Core.Security;
using Certifications.Tests.Core.Progress;
using Certifications.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Certifications.Tests.Portal.Api;

/// <summary>A portal with one course of two graded steps in a published certification, and two learners, one assigned to it.</summary>
public sealed class ResultsApiPortal : IAsyncLifetime
{
    public PortalFactory Portal { get; } = new(seedDemoData: false);

    public DateTime Now { get; private set; }

    public int LearnerId { get; private set; }

    public int OtherLearnerId { get; private set; }

    public int CertificationId { get; private set; }

    public int[] StepIds { get; private set; } = [];

    public async Task InitializeAsync()
    {
        Now = Portal.Services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;
        var factory = Portal.Services.GetRequiredService<IDbContextFactory<CertificationsDbContext>>();
        await using var db = await factory.CreateDbContextAsync();
        var course = new Course { Title = "Safety 101", IsPublished = true };
        course.Steps.Add(new Step { Title = "Quiz 1", Position = 1, IsGraded = true });
        course.Steps.Add(new Step { Title = "Quiz 2", Position = 2, IsGraded = true });
        db.Courses.Add(course);
        await db.SaveChangesAsync();
        StepIds = [.. course.Steps.Select(s => s.Id)];
        CertificationId = await ProgressData.AddCertificationAsync(db, "Workplace Safety", [course.Id], DateOnly.FromDateTime(Now.AddDays(-30)));
        var learner = new Learner { Name = "Bob Safety", Email = "bob@example.com", NormalizedEmail = "BOB@EXAMPLE.COM" };
        var other = new Learner { Name = "Ada Other", Email = "ada@example.com", NormalizedEmail = "ADA@EXAMPLE.COM" };
        db.Learners.AddRange(learner, other);
        await db.SaveChangesAsync();
        (LearnerId, OtherLearnerId) = (learner.Id, other.Id);
        await ProgressData.AssignAsync(db, CertificationId, LearnerId, Now.AddDays(-10));
    }

    public async Task DisposeAsync() => await Portal.DisposeAsync();

    /// <summary>A new active key's secret.</summary>
    public async Task<(int Id, string Secret)> NewKeyAsync(string name)
    {
        var outcome = await Portal.Services.GetRequiredService<ApiKeys>().CreateAsync(Actor.System, new ApiKeyDraft { Name = name });
        Assert.True(outcome.Succeeded, outcome.Message);
        return (outcome.Id!.Value, outcome.Secret!.Value);
    }
}

public sealed class ResultsApiTests(ResultsApiPortal fixture) : IClassFixture<ResultsApiPortal>, IAsyncLifetime
{
    private static readonly Uri Results = new("/api/v1/results", UriKind.Relative);
    private HttpClient client = null!;
    private string key = "";

    private DateTime Now => fixture.Now;

    public async Task InitializeAsync()
    {
        client = fixture.Portal.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        key = (await fixture.NewKeyAsync($"Feed {Guid.NewGuid():N}")).Secret;
    }

    public Task DisposeAsync()
    {
        client.Dispose();
        return Task.CompletedTask;
    }

    private static string Unique(string name) => $"{name}-{Guid.NewGuid():N}";

    private static object Item(string externalId, int learnerId, int stepId, object score, string completedAt) =>
        new { externalId, learnerId, stepId, score, completedAt };

    private static string Iso(DateTime instant) => instant.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);

    private async Task<HttpResponseMessage> PostAsync(string body, string? apiKey)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Results) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (apiKey is not null)
        {
            request.Headers.Add("X-Api-Key", apiKey);
        }

        return await client.SendAsync(request);
    }

    private Task<HttpResponseMessage> PostAsync(params object[] items) => PostAsync(JsonSerializer.Serialize(new { results = items }), key);

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonElement>());

    private static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string detail)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await JsonAsync(response);
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        Assert.Contains(detail, $"{problem.GetProperty("title").GetString()} {problem.GetProperty("detail").GetString()}", StringComparison.Ordinal);
    }

    private async Task<int> StoredAsync(params string[] externalIds)
    {
        var factory = fixture.Portal.Services.GetRequiredService<IDbContextFactory<CertificationsDbContext>>();
        await using var db = await factory.CreateDbContextAsync();
        return await db.StepResults.CountAsync(r => externalIds.Contains(r.ExternalId));
    }

    [Fact]
    public async Task AWellFormedBatchIsAcceptedAndReportedItemByItem()
    {
        var (first, second) = (Unique("a"), Unique("b"));

        using var response = await PostAsync(
            Item(first, fixture.OtherLearnerId, fixture.StepIds[0], 87.5, Iso(Now.AddHours(-2))),
            Item(second, fixture.OtherLearnerId, fixture.StepIds[1], 60, Now.AddHours(-1).ToString("yyyy-MM-dd'T'HH:mm:ss'+02:00'", System.Globalization.CultureInfo.InvariantCulture)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var report = await JsonAsync(response);
        Assert.Equal((2, 0, 0), (report.GetProperty("accepted").GetInt32(), report.GetProperty("duplicates").GetInt32(), report.GetProperty("rejected").GetInt32()));
        Assert.Equal(
            [(0, first, "accepted"), (1, second, "accepted")],
            report.GetProperty("items").EnumerateArray().Select(i => (i.GetProperty("index").GetInt32(), i.GetProperty("externalId").GetString(), i.GetProperty("state").GetString())));
        Assert.Equal(2, await StoredAsync(first, second));
    }

    [Fact]
    public async Task EachRejectedItemCarriesItsReasonBesideTheAcceptedOnes()
    {
        var good = Unique("good");
        var recent = Iso(Now.AddHours(-1));

        using var response = await PostAsync(
            Item(good, fixture.OtherLearnerId, fixture.StepIds[0], 80, recent),
            Item(Unique("learner"), 999_999, fixture.StepIds[0], 80, recent),
            Item(Unique("step"), fixture.OtherLearnerId, 999_999, 80, recent),
            Item(Unique("score"), fixture.OtherLearnerId, fixture.StepIds[0], 100.5, recent),
            Item(Unique("future"), fixture.OtherLearnerId, fixture.StepIds[0], 80, Iso(Now.AddDays(2))),
            Item(Unique("zone"), fixture.OtherLearnerId, fixture.StepIds[0], 80, "2026-01-05T10:00:00"),
            Item("", fixture.OtherLearnerId, fixture.StepIds[0], 80, recent),
            new { externalId = Unique("missing") },
            new { externalId = Unique("types"), learnerId = "one", stepId = 2.5, score = "high", completedAt = "yesterday" },
            42);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var report = await JsonAsync(response);
        var reasons = report.GetProperty("items").EnumerateArray().Select(i => (i.GetProperty("state").GetString(), i.GetProperty("reason").GetString() ?? "")).ToList();
        Assert.Equal(("accepted", ""), reasons[0]);
        Assert.All(reasons.Skip(1), r => Assert.Equal("rejected", r.Item1));
        Assert.Contains("No learner has id 999999", reasons[1].Item2, StringComparison.Ordinal);
        Assert.Contains("No step has id 999999", reasons[2].Item2, StringComparison.Ordinal);
        Assert.Contains("outside 0 to 100", reasons[3].Item2, StringComparison.Ordinal);
        Assert.Contains("in the future", reasons[4].Item2, StringComparison.Ordinal);
        Assert.Contains("not in UTC", reasons[5].Item2, StringComparison.Ordinal);
        Assert.Contains("external id is missing", reasons[6].Item2, StringComparison.Ordinal);
        Assert.Contains("learner id is missing", reasons[7].Item2, StringComparison.Ordinal);
        Assert.Contains("score is missing", reasons[7].Item2, StringComparison.Ordinal);
        Assert.Contains("malformed", reasons[8].Item2, StringComparison.Ordinal);
        Assert.Contains("learnerId must be a whole number", reasons[8].Item2, StringComparison.Ordinal);
        Assert.Contains("completedAt must be an ISO 8601 instant", reasons[8].Item2, StringComparison.Ordinal);
        Assert.Contains("a JSON object was expected", reasons[9].Item2, StringComparison.Ordinal);
        Assert.Equal((1, 9), (report.GetProperty("accepted").GetInt32(), report.GetProperty("rejected").GetInt32()));
        Assert.Equal(1, await StoredAsync(good));
    }

    [Fact]
    public async Task ARepeatedExternalIdIsADuplicateWithinABatchAndAcrossBatches()
    {
        var id = Unique("dup");
        var item = Item(id, fixture.OtherLearnerId, fixture.StepIds[0], 80, Iso(Now.AddHours(-1)));

        using var first = await PostAsync(item, item);
        using var second = await PostAsync(item);

        var states = (await JsonAsync(first)).GetProperty("items").EnumerateArray().Select(i => i.GetProperty("state").GetString());
        Assert.Equal(["accepted", "duplicate"], states);
        var again = (await JsonAsync(second)).GetProperty("items")[0];
        Assert.Equal("duplicate", again.GetProperty("state").GetString());
        Assert.Contains("already recorded", again.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal(1, await StoredAsync(id));
    }

    [Theory]
    [InlineData("{\"results\": [", "not valid JSON")]
    [InlineData("not json at all", "not valid JSON")]
    [InlineData("", "not valid JSON")]
    [InlineData("null", "has no results")]
    [InlineData("[]", "has no results")]
    [InlineData("{}", "has no results")]
    [InlineData("{\"results\": 5}", "has no results")]
    [InlineData("{\"results\": null}", "has no results")]
    public async Task ABodyThatIsNotABatchIsRefusedWholeWithAProblem(string body, string detail)
    {
        using var response = await PostAsync(body, key);

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, detail);
    }

    [Fact]
    public async Task AnOversizedBatchIsRefusedWholeAndNothingIsStored()
    {
        var ids = Enumerable.Range(0, ResultIngestion.MaxBatchSize + 1).Select(i => Unique($"big{i}")).ToArray();

        using var response = await PostAsync([.. ids.Select(id => Item(id, fixture.OtherLearnerId, fixture.StepIds[0], 80, Iso(Now.AddHours(-1))))]);

        await AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge, "at most 1,000");
        Assert.Equal(0, await StoredAsync(ids));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("cpk_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public async Task ARequestWithoutAValidKeyIsUnauthorizedAndNeverRedirected(string? apiKey)
    {
        var id = Unique("nokey");

        using var response = await PostAsync(JsonSerializer.Serialize(new { results = new[] { Item(id, fixture.OtherLearnerId, fixture.StepIds[0], 80, Iso(Now.AddHours(-1))) } }), apiKey);

        await AssertProblemAsync(response, HttpStatusCode.Unauthorized, "X-Api-Key");
        Assert.Equal(0, await StoredAsync(id));
    }

    [Fact]
    public async Task ARevokedKeyIsUnauthorized()
    {
        var (keyId, secret) = await fixture.NewKeyAsync(Unique("revoked"));
        Assert.True((await fixture.Portal.Services.GetRequiredService<ApiKeys>().RevokeAsync(Actor.System, keyId)).Succeeded);

        using var response = await PostAsync(JsonSerializer.Serialize(new { results = Array.Empty<object>() }), secret);

        await AssertProblemAsync(response, HttpStatusCode.Unauthorized, "X-Api-Key");
    }

    [Fact]
    public async Task ASignedInAdminsCookieGivesNoAccessToTheApi()
    {
        using var admin = await PortalSignInAsAdminAsync();

        using var response = await admin.PostAsync(Results, new StringContent("{\"results\": []}", Encoding.UTF8, "application/json"));

        await AssertProblemAsync(response, HttpStatusCode.Unauthorized, "X-Api-Key");
    }

    [Fact]
    public async Task AnAcceptedBatchChangesTheLearnersStatusBeforeTheCallReturns()
    {
        var panels = fixture.Portal.Services.GetRequiredService<LearnerPanelService>();
        var before = (await panels.GetPanelAsync(Actor.System, fixture.LearnerId))!.Certifications.Single(c => c.CertificationId == fixture.CertificationId);
        Assert.NotEqual(AssignmentStatus.Completed, before.Status);

        using var response = await PostAsync(
            Item(Unique("q1"), fixture.LearnerId, fixture.StepIds[0], 75, Iso(Now.AddHours(-3))),
            Item(Unique("q2"), fixture.LearnerId, fixture.StepIds[1], 90, Iso(Now.AddHours(-2))));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var after = (await panels.GetPanelAsync(Actor.System, fixture.LearnerId))!.Certifications.Single(c => c.CertificationId == fixture.CertificationId);
        Assert.Equal(AssignmentStatus.Completed, after.Status);
    }

    [Fact]
    public async Task TheBatchIsRecordedInTheAuditTrailUnderTheKeysName()
    {
        var name = Unique("Audited feed");
        var (_, secret) = await fixture.NewKeyAsync(name);

        using var response = await PostAsync(JsonSerializer.Serialize(new { results = new[] { Item(Unique("audit"), fixture.OtherLearnerId, fixture.StepIds[0], 80, Iso(Now.AddHours(-1))) } }), secret);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var factory = fixture.Portal.Services.GetRequiredService<IDbContextFactory<CertificationsDbContext>>();
        await using var db = await factory.CreateDbContextAsync();
        Assert.True(await db.AuditEntries.AnyAsync(e => e.Actor == name && e.Action == "ResultsReceived"));
    }

    private async Task<HttpClient> PortalSignInAsAdminAsync()
    {
        var email = $"admin-{Guid.NewGuid():N}@example.com";
        const string password = "a-long-test-password-2026";
        await using (var scope = fixture.Portal.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<PortalUser>>();
            var user = new PortalUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = "Test Admin" };
            Assert.True((await users.CreateAsync(user, password)).Succeeded);
            Assert.True((await users.AddToRolesAsync(user, [PortalRoles.Admin, PortalRoles.Learner])).Succeeded);
        }

        var browser = PortalSignIn.AnonymousClient(fixture.Portal);
        using var signedIn = await PortalSignIn.SubmitAsync(browser, email, password);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        return browser;
    }
}

public sealed class ResultsApiRateLimitTests
{
    [Fact]
    public async Task AKeyOverItsLimitIsToldToWaitWithAProblemAndOtherKeysAreNot()
    {
        await using var portal = new PortalFactory(seedDemoData: false, extraSettings: new Dictionary<string, string?> { ["Api:RequestsPerMinute"] = "2" });
        var keys = portal.Services.GetRequiredService<ApiKeys>();
        var busy = (await keys.CreateAsync(Actor.System, new ApiKeyDraft { Name = "Busy" })).Secret!.Value;
        var quiet = (await keys.CreateAsync(Actor.System, new ApiKeyDraft { Name = "Quiet" })).Secret!.Value;
        using var client = portal.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });

        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? last = null;
        foreach (var secret in new[] { busy, busy, busy, quiet })
        {
            last?.Dispose();
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/api/v1/results", UriKind.Relative))
            {
                Content = new StringContent("{\"results\": []}", Encoding.UTF8, "application/json"),
            };
            request.Headers.Add("X-Api-Key", secret);
            last = await client.SendAsync(request);
            statuses.Add(last.StatusCode);
            if (statuses.Count == 3)
            {
                Assert.Equal("application/problem+json", last.Content.Headers.ContentType?.MediaType);
                Assert.True(last.Headers.RetryAfter is not null);
            }
        }

        last?.Dispose();
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests, HttpStatusCode.OK], statuses);
    }
}
