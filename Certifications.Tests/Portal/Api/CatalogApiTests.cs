using System.Net;
using System.Text.Json;
using Certifications.Core.Auditing;
using Certifications.Core.Catalog;
using Certifications.Core.Enrollment;
using Certifications.Core.Progress;
using Certifications.Core.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Certifications.Tests.Portal.Api;

/// <summary>Courses, groups and learners created and changed through the API, with the admin pages' rules and effects.</summary>
public sealed class CatalogApiTests(ApiTestPortal fixture) : IClassFixture<ApiTestPortal>, IAsyncLifetime
{
    private HttpClient client = null!;
    private string keyName = "";
    private string key = "";

    public async Task InitializeAsync()
    {
        client = fixture.Client();
        (_, keyName, key) = await fixture.NewKeyAsync("Catalog feed");
    }

    public Task DisposeAsync()
    {
        client.Dispose();
        return Task.CompletedTask;
    }

    private static string Unique(string name) => $"{name} {Guid.NewGuid().ToString("N")[..8]}";

    private Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, object? body = null, string? ifMatch = null) =>
        client.SendAsync(method, path, key, body, ifMatch);

    private static object Course(string title, bool published, params object[] steps) => new { title, published, trigger = false, steps };

    private async Task<(int Id, string ETag, JsonElement Body)> CreatedAsync(string path, object body)
    {
        using var response = await SendAsync(HttpMethod.Post, path, body);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = await response.JsonAsync();
        var id = created.GetProperty("id").GetInt32();
        Assert.Equal($"{path}/{id}", response.Headers.Location?.OriginalString);
        Assert.Equal($"\"{created.GetProperty("version").GetGuid()}\"", response.ETag());
        return (id, response.ETag(), created);
    }

    private async Task<List<string>> AuditActorsAsync(string entityType, int id)
    {
        await using var db = await fixture.DbAsync();
        var key = id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return await db.AuditEntries.Where(e => e.EntityType == entityType && e.EntityId == key).Select(e => e.Actor).ToListAsync();
    }

    [Fact]
    public async Task ACourseIsCreatedWithItsStepsAndAuditedUnderTheKeysName()
    {
        var title = Unique("Forklift basics");

        var (id, etag, body) = await CreatedAsync("/api/v1/courses", Course(title, true, new { title = "Video", graded = false }, new { title = "Quiz", graded = true }));

        Assert.Equal(title, body.GetProperty("title").GetString());
        Assert.True(body.GetProperty("published").GetBoolean());
        Assert.Equal([("Video", false), ("Quiz", true)], body.GetProperty("steps").EnumerateArray().Select(s => (s.GetProperty("title").GetString(), s.GetProperty("graded").GetBoolean())));
        using var read = await SendAsync(HttpMethod.Get, $"/api/v1/courses/{id}");
        Assert.Equal(etag, read.ETag());
        Assert.Equal([keyName], await AuditActorsAsync("Course", id));
    }

    [Fact]
    public async Task ACourseIsFoundByItsTitleWithoutCaseWithItsStepsIds()
    {
        var title = Unique("Ladder safety");
        var (id, etag, _) = await CreatedAsync("/api/v1/courses", Course(title, true, new { title = "Quiz", graded = true }));

        using var found = await SendAsync(HttpMethod.Get, $"/api/v1/courses?title={Uri.EscapeDataString("  " + title.ToUpperInvariant() + " ")}");
        using var unknown = await SendAsync(HttpMethod.Get, $"/api/v1/courses?title={Uri.EscapeDataString(Unique("No such course"))}");
        using var missing = await SendAsync(HttpMethod.Get, "/api/v1/courses");

        var body = await found.JsonAsync();
        Assert.Equal(id, body.GetProperty("id").GetInt32());
        Assert.Equal(etag, found.ETag());
        Assert.Equal("Quiz", Assert.Single(body.GetProperty("steps").EnumerateArray()).GetProperty("title").GetString());
        await unknown.ProblemAsync(HttpStatusCode.NotFound);
        Assert.Single((await missing.ProblemAsync(HttpStatusCode.BadRequest)).Errors("title"));
    }

    [Fact]
    public async Task ACourseIsRenamedUnpublishedAndItsStepsChangedWithItsETag()
    {
        var (id, etag, body) = await CreatedAsync("/api/v1/courses", Course(Unique("Ladders"), true, new { title = "Quiz", graded = true }));
        var quiz = body.GetProperty("steps")[0].GetProperty("id").GetInt32();
        var title = Unique("Ladders, revised");

        using var response = await SendAsync(HttpMethod.Put, $"/api/v1/courses/{id}", Course(title, false, new { title = "Intro", graded = false }, new { id = quiz, title = "Final quiz", graded = true }), etag);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotEqual(etag, response.ETag());
        var updated = await response.JsonAsync();
        Assert.Equal(title, updated.GetProperty("title").GetString());
        Assert.False(updated.GetProperty("published").GetBoolean());
        Assert.Equal([("Intro", false), ("Final quiz", true)], updated.GetProperty("steps").EnumerateArray().Select(s => (s.GetProperty("title").GetString(), s.GetProperty("graded").GetBoolean())));
        Assert.Equal(quiz, updated.GetProperty("steps")[1].GetProperty("id").GetInt32());
    }

    [Fact]
    public async Task AChangeFromAStaleVersionIsAConflictNamingWhoChangedItAndSavesNothing()
    {
        var (id, etag, _) = await CreatedAsync("/api/v1/courses", Course(Unique("Scaffolds"), true));
        using var first = await SendAsync(HttpMethod.Put, $"/api/v1/courses/{id}", Course(Unique("First change"), true), etag);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);

        using var second = await SendAsync(HttpMethod.Put, $"/api/v1/courses/{id}", Course(Unique("Second change"), true), etag);

        var problem = await second.ProblemAsync(HttpStatusCode.Conflict);
        Assert.Contains(keyName, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        using var read = await SendAsync(HttpMethod.Get, $"/api/v1/courses/{id}");
        Assert.StartsWith("First change", (await read.JsonAsync()).GetProperty("title").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AChangeWithoutIfMatchIsRefusedAndOneWithAnUnreadableIfMatchToo()
    {
        var (id, _, _) = await CreatedAsync("/api/v1/courses", Course(Unique("Hoists"), true));

        using var missing = await SendAsync(HttpMethod.Put, $"/api/v1/courses/{id}", Course(Unique("Hoists"), false));
        using var unreadable = await SendAsync(HttpMethod.Put, $"/api/v1/courses/{id}", Course(Unique("Hoists"), false), "\"yesterday\"");

        await missing.ProblemAsync(HttpStatusCode.PreconditionRequired);
        await unreadable.ProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task ACourseBreakingTheRulesIsRefusedWithAMessagePerFieldAndNothingSaved()
    {
        var (_, _, existing) = await CreatedAsync("/api/v1/courses", Course(Unique("Taken title"), true));
        var taken = existing.GetProperty("title").GetString()!;

        using var response = await SendAsync(HttpMethod.Post, "/api/v1/courses", Course(taken.ToUpperInvariant(), true, new { title = " ", graded = true }));

        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("already called", Assert.Single(problem.Errors("title")), StringComparison.Ordinal);
        Assert.Equal(["Enter the step's title."], problem.Errors("steps[0].title"));
        await using var db = await fixture.DbAsync();
        Assert.Equal(1, await db.Courses.CountAsync(c => c.Title.ToUpper() == taken.ToUpper()));
    }

    [Theory]
    [InlineData("{\"title\": \"A\", \"published\": \"yes\", \"trigger\": false, \"steps\": []}", "published")]
    [InlineData("{\"title\": \"A\", \"trigger\": false, \"steps\": []}", "published")]
    [InlineData("{\"title\": null, \"published\": true, \"trigger\": false, \"steps\": []}", "title")]
    [InlineData("{\"title\": \"A\", \"published\": true, \"trigger\": false, \"steps\": [", "JSON")]
    public async Task ABodyThatCannotBeReadIsRefusedWithItsReason(string body, string field)
    {
        using var response = await SendAsync(HttpMethod.Post, "/api/v1/courses", body);

        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains(field, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnUnknownCourseIsNotFoundToReadAndToChange()
    {
        using var read = await SendAsync(HttpMethod.Get, "/api/v1/courses/999999");
        using var change = await SendAsync(HttpMethod.Put, "/api/v1/courses/999999", Course("Nothing", true), $"\"{Guid.NewGuid()}\"");

        await read.ProblemAsync(HttpStatusCode.NotFound);
        await change.ProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task ChangingWhichStepsAreGradedRecomputesTheStoredProgressAsTheCoursePageDoes()
    {
        var course = await fixture.CourseAsync("Chemicals", gradedSteps: 1, ungradedSteps: 1);
        var (graded, ungraded) = (course.Steps[0].Id, course.Steps[1].Id);
        var certification = await fixture.PublishedCertificationAsync("Chemical handling", [course.Id]);
        var learner = await fixture.LearnerAsync("Carla Chem");
        Assert.True((await fixture.Portal.Services.GetRequiredService<EnrollmentService>().SaveIndividualAsync(Actor.System, learner.Id, [certification], [])).Succeeded);
        // Results count from the moment of assignment (no grace period): this one is completed now, after it.
        using var sent = await SendAsync(HttpMethod.Post, "/api/v1/results", new
        {
            results = new[] { new { externalId = Guid.NewGuid().ToString("N"), learnerId = learner.Id, stepId = ungraded, score = 95, completedAt = fixture.Now.ToString("O") } },
        });
        Assert.NotEqual(AssignmentStatus.Completed, await StoredStatusAsync(learner.Id, certification));
        using var read = await SendAsync(HttpMethod.Get, $"/api/v1/courses/{course.Id}");

        using var response = await SendAsync(
            HttpMethod.Put,
            $"/api/v1/courses/{course.Id}",
            Course(course.Title, true, new { id = graded, title = "Step 1", graded = false }, new { id = ungraded, title = "Step 2", graded = true }),
            read.ETag());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(AssignmentStatus.Completed, await StoredStatusAsync(learner.Id, certification));
        Assert.Equal("completed", await StatusAsync(learner.Id, certification));
    }

    [Fact]
    public async Task AGroupIsCreatedRenamedAndItsNewMembersAreAssignedItsCertifications()
    {
        var course = await fixture.CourseAsync("Fire safety");
        var (id, etag, _) = await CreatedAsync("/api/v1/groups", new { name = Unique("Warehouse") });
        await using (var db = await fixture.DbAsync())
        {
            db.GroupCourses.Add(new GroupCourse { GroupId = id, CourseId = course.Id });
            await db.SaveChangesAsync();
        }

        var certification = await fixture.PublishedCertificationAsync("Fire drill", [course.Id], [id]);
        var (joining, staying) = (await fixture.LearnerAsync("Jo Joiner"), await fixture.LearnerAsync("Sam Stayout"));
        using var current = await SendAsync(HttpMethod.Get, $"/api/v1/groups/{id}");
        var name = Unique("Warehouse north");

        using var renamed = await SendAsync(HttpMethod.Put, $"/api/v1/groups/{id}", new { name }, current.ETag());
        using var joined = await SendAsync(HttpMethod.Post, $"/api/v1/groups/{id}/members", new { add = new[] { joining.Id } }, renamed.ETag());

        Assert.Equal(name, (await renamed.JsonAsync()).GetProperty("name").GetString());
        Assert.Equal(HttpStatusCode.OK, joined.StatusCode);
        Assert.Equal(1, (await joined.JsonAsync()).GetProperty("memberCount").GetInt32());
        Assert.Equal("notStarted", await StatusAsync(joining.Id, certification));
        Assert.Null(await StatusAsync(staying.Id, certification));
        using var members = await SendAsync(HttpMethod.Get, $"/api/v1/groups/{id}/members");
        Assert.Equal([joining.Id], (await members.JsonAsync()).GetProperty("items").EnumerateArray().Select(m => m.GetProperty("learnerId").GetInt32()));
        Assert.Equal([keyName, keyName, keyName], await AuditActorsAsync("Group", id));
        using var stale = await SendAsync(HttpMethod.Post, $"/api/v1/groups/{id}/members", new { remove = new[] { joining.Id } }, etag);
        await stale.ProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("notStarted", await StatusAsync(joining.Id, certification));
    }

    [Fact]
    public async Task AGroupBreakingTheRulesIsRefusedPerFieldAndAnUnknownOneIsNotFound()
    {
        var (_, _, taken) = await CreatedAsync("/api/v1/groups", new { name = Unique("Drivers") });

        using var duplicate = await SendAsync(HttpMethod.Post, "/api/v1/groups", new { name = taken.GetProperty("name").GetString()!.ToLowerInvariant() });
        using var unknownMember = await SendAsync(HttpMethod.Post, $"/api/v1/groups/{taken.GetProperty("id").GetInt32()}/members", new { add = new[] { 999_999 } }, $"\"{taken.GetProperty("version").GetGuid()}\"");
        using var unknown = await SendAsync(HttpMethod.Put, "/api/v1/groups/999999", new { name = "Nobody" }, $"\"{Guid.NewGuid()}\"");

        Assert.Contains("already called", Assert.Single((await duplicate.ProblemAsync(HttpStatusCode.BadRequest)).Errors("name")), StringComparison.Ordinal);
        Assert.Single((await unknownMember.ProblemAsync(HttpStatusCode.BadRequest)).Errors("members"));
        await unknown.ProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task ALearnerIsCreatedFoundByEmailAndUpdatedWithTheRulesOfTheProfileCard()
    {
        var manager = await fixture.LearnerAsync("Mona Manager");
        var (group, _, _) = await CreatedAsync("/api/v1/groups", new { name = Unique("Night shift") });
        var email = $"nina.{Guid.NewGuid():N}@example.com";

        var (id, etag, created) = await CreatedAsync("/api/v1/learners", new { name = "Nina New", email, managerId = manager.Id, groupIds = new[] { group } });
        using var found = await SendAsync(HttpMethod.Get, $"/api/v1/learners?email={Uri.EscapeDataString(email.ToUpperInvariant())}");
        using var updated = await SendAsync(HttpMethod.Put, $"/api/v1/learners/{id}", new { name = "Nina Renamed", email, managerId = (int?)null, groupIds = Array.Empty<int>() }, etag);

        Assert.Equal((manager.Id, group), (created.GetProperty("managerId").GetInt32(), created.GetProperty("groupIds")[0].GetInt32()));
        Assert.Equal(id, (await found.JsonAsync()).GetProperty("id").GetInt32());
        var after = await updated.JsonAsync();
        Assert.Equal("Nina Renamed", after.GetProperty("name").GetString());
        Assert.Equal(JsonValueKind.Null, after.GetProperty("managerId").ValueKind);
        Assert.Empty(after.GetProperty("groupIds").EnumerateArray());
        Assert.All(await AuditActorsAsync("Learner", id), actor => Assert.Equal(keyName, actor));
    }

    [Fact]
    public async Task ALearnerBreakingTheRulesIsRefusedPerFieldAndAStaleOrUnknownOneToo()
    {
        var boss = await fixture.LearnerAsync("Bea Boss");
        var report = await fixture.LearnerAsync("Rob Report", boss.Id);
        using var bossRead = await SendAsync(HttpMethod.Get, $"/api/v1/learners/{boss.Id}");

        using var loop = await SendAsync(HttpMethod.Put, $"/api/v1/learners/{boss.Id}", new { name = boss.Name, email = boss.Email, managerId = report.Id, groupIds = Array.Empty<int>() }, bossRead.ETag());
        using var badEmail = await SendAsync(HttpMethod.Post, "/api/v1/learners", new { name = "No Mail", email = "not-an-address", managerId = (int?)null, groupIds = Array.Empty<int>() });
        using var takenEmail = await SendAsync(HttpMethod.Post, "/api/v1/learners", new { name = "Copy", email = report.Email.ToUpperInvariant(), managerId = (int?)null, groupIds = Array.Empty<int>() });
        using var notFound = await SendAsync(HttpMethod.Get, "/api/v1/learners/999999");
        using var noSuchEmail = await SendAsync(HttpMethod.Get, "/api/v1/learners?email=nobody@example.com");

        Assert.Contains("loop", Assert.Single((await loop.ProblemAsync(HttpStatusCode.BadRequest)).Errors("managerId")), StringComparison.Ordinal);
        Assert.Single((await badEmail.ProblemAsync(HttpStatusCode.BadRequest)).Errors("email"));
        Assert.Contains("already has the email", Assert.Single((await takenEmail.ProblemAsync(HttpStatusCode.BadRequest)).Errors("email")), StringComparison.Ordinal);
        await notFound.ProblemAsync(HttpStatusCode.NotFound);
        await noSuchEmail.ProblemAsync(HttpStatusCode.NotFound);
        using var rename = await SendAsync(HttpMethod.Put, $"/api/v1/learners/{boss.Id}", new { name = "Bea Renamed", email = boss.Email, managerId = (int?)null, groupIds = Array.Empty<int>() }, bossRead.ETag());
        using var stale = await SendAsync(HttpMethod.Put, $"/api/v1/learners/{boss.Id}", new { name = "Bea Again", email = boss.Email, managerId = (int?)null, groupIds = Array.Empty<int>() }, bossRead.ETag());
        Assert.Equal(HttpStatusCode.OK, rename.StatusCode);
        await stale.ProblemAsync(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task ARevokedKeyChangesNothing()
    {
        var (keyId, _, secret) = await fixture.NewKeyAsync("Revoked");
        Assert.True((await fixture.Portal.Services.GetRequiredService<ApiKeys>().RevokeAsync(Actor.System, keyId)).Succeeded);
        var title = Unique("Never created");

        using var response = await client.SendAsync(HttpMethod.Post, "/api/v1/courses", secret, Course(title, true));

        await response.ProblemAsync(HttpStatusCode.Unauthorized);
        await using var db = await fixture.DbAsync();
        Assert.False(await db.Courses.AnyAsync(c => c.Title == title));
    }

    [Fact]
    public async Task ASignedInAdminsCookieOpensNoCatalogEndpoint()
    {
        using var admin = await fixture.SignedInAsync(await fixture.LearnerAsync("Cookie Admin"), PortalRoles.Admin);
        var title = Unique("Cookie course");

        using var create = await admin.SendAsync(HttpMethod.Post, "/api/v1/courses", key: null, Course(title, true));
        using var read = await admin.SendAsync(HttpMethod.Get, "/api/v1/learners?email=cookie@example.com", key: null);

        await create.ProblemAsync(HttpStatusCode.Unauthorized);
        await read.ProblemAsync(HttpStatusCode.Unauthorized);
        await using var db = await fixture.DbAsync();
        Assert.False(await db.Courses.AnyAsync(c => c.Title == title));
    }

    private async Task<string?> StatusAsync(int learnerId, int certificationId)
    {
        using var response = await SendAsync(HttpMethod.Get, $"/api/v1/learners/{learnerId}/certifications");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.JsonAsync()).GetProperty("certifications").EnumerateArray()
            .Where(c => c.GetProperty("certificationId").GetInt32() == certificationId)
            .Select(c => c.GetProperty("status").GetString())
            .SingleOrDefault();
    }

    /// <summary>The status the recompute stored, as lists and dashboards read it.</summary>
    private async Task<AssignmentStatus> StoredStatusAsync(int learnerId, int certificationId)
    {
        await using var db = await fixture.DbAsync();
        return await db.Assignments.Where(a => a.LearnerId == learnerId && a.CertificationId == certificationId).Select(a => a.Status).SingleAsync();
    }
}
