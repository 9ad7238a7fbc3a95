using System.Net;
using System.Text;
using Microsoft.EntityFrameworkCore;

namespace Certifications.Tests.Portal.Api;

/// <summary>A portal with small limits: a 4,000-byte body cap and three calls without a valid key per address and minute.</summary>
public sealed class SmallLimitsPortal() : ApiTestPortal(new Dictionary<string, string?>
{
    ["Api:MaxRequestBodyBytes"] = "4000",
    ["Api:UnauthenticatedRequestsPerMinute"] = "3",
});

public sealed class ApiLimitsTests(SmallLimitsPortal fixture) : IClassFixture<SmallLimitsPortal>
{
    private static object Batch(int learnerId, int stepId, int items, DateTime now, out string[] ids)
    {
        ids = [.. Enumerable.Range(0, items).Select(_ => Guid.NewGuid().ToString("N"))];
        return new { results = ids.Select(id => new { externalId = id, learnerId, stepId, score = 80, completedAt = now.AddHours(-1).ToString("O") }).ToArray() };
    }

    private async Task<int> StoredAsync(string[] externalIds)
    {
        await using var db = await fixture.DbAsync();
        return await db.StepResults.CountAsync(r => externalIds.Contains(r.ExternalId));
    }

    [Fact]
    public async Task ABodyOverTheCapIsRefusedWith413AndNothingIsRecorded()
    {
        var (_, _, key) = await fixture.NewKeyAsync();
        var learner = await fixture.LearnerAsync("Bea Big");
        var course = await fixture.CourseAsync("Cap");
        using var client = fixture.Client();

        using var small = await client.SendAsync(HttpMethod.Post, "/api/v1/results", key, Batch(learner.Id, course.Steps[0].Id, 5, fixture.Now, out var smallIds));
        using var large = await client.SendAsync(HttpMethod.Post, "/api/v1/results", key, Batch(learner.Id, course.Steps[0].Id, 40, fixture.Now, out var largeIds));

        Assert.Equal(HttpStatusCode.OK, small.StatusCode);
        var problem = await large.ProblemAsync(HttpStatusCode.RequestEntityTooLarge);
        Assert.Contains("4,000 bytes", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal((5, 0), (await StoredAsync(smallIds), await StoredAsync(largeIds)));
    }

    [Fact]
    public async Task ABodyOverTheCapWithoutADeclaredLengthIsRefusedToo()
    {
        var (_, _, key) = await fixture.NewKeyAsync();
        var title = $"Streamed {Guid.NewGuid():N}";
        using var client = fixture.Client();
        var json = $"{{\"title\": \"{title}\", \"published\": true, \"trigger\": false, \"steps\": [{string.Join(", ", Enumerable.Repeat("{\"title\": \"A step of a long course\", \"graded\": true}", 100))}]}}";
        using var content = new UnknownLengthContent(Encoding.UTF8.GetBytes(json));
        Assert.Null(content.Headers.ContentLength);

        using var response = await client.SendAsync(HttpMethod.Post, "/api/v1/courses", key, content);

        await response.ProblemAsync(HttpStatusCode.RequestEntityTooLarge);
        await using var db = await fixture.DbAsync();
        Assert.False(await db.Courses.AnyAsync(c => c.Title == title));
    }

    [Fact]
    public async Task CallsWithoutAValidKeyAreCutOffPerAddressWhileAValidKeyStillGoesThrough()
    {
        var (_, _, key) = await fixture.NewKeyAsync();
        using var client = fixture.Client();

        var statuses = new List<HttpStatusCode>();
        foreach (var attempt in new[] { null, "cpk_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", null, "wrong" })
        {
            using var response = await client.SendAsync(HttpMethod.Get, "/api/v1/courses/1", attempt);
            statuses.Add(response.StatusCode);
            if (statuses.Count == 4)
            {
                await response.ProblemAsync(HttpStatusCode.TooManyRequests);
                Assert.NotNull(response.Headers.RetryAfter);
            }
        }

        using var valid = await client.SendAsync(HttpMethod.Get, "/api/v1/courses/999999", key);
        Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests], statuses);
        await valid.ProblemAsync(HttpStatusCode.NotFound);
    }

    /// <summary>A JSON body sent without a Content-Length, as a streaming client sends one.</summary>
    private sealed class UnknownLengthContent : HttpContent
    {
        private readonly byte[] bytes;

        public UnknownLengthContent(byte[] bytes)
        {
            this.bytes = bytes;
            Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        }

        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => stream.WriteAsync(bytes).AsTask();

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
