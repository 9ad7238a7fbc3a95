using System.Net;
using System.Text.Json;
using Certifications.Core.Auditing;
using Certifications.Core.Catalog;
using Certifications.Core.Enrollment;
using Certifications.Core.Security;
using Microsoft.Extensions.DependencyInjection;

namespace Certifications.Tests.Portal.Api;

/// <summary>
/// A manager, Maria, with a direct report, Rita, who manages Ivan; Otto reports to nobody. Rita holds a visible and an
/// invisible certification of one course of two graded steps.
/// </summary>
public sealed class LearnerStatusPortal : ApiTestPortal
{
    public Learner Maria { get; private set; } = null!;

    public Learner Rita { get; private set; } = null!;

    public Learner Ivan { get; private set; } = null!;

    public Learner Otto { get; private set; } = null!;

    public Course Course { get; private set; } = null!;

    public int Visible { get; private set; }

    public int Invisible { get; private set; }

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Maria = await LearnerAsync("Maria Manager");
        Rita = await LearnerAsync("Rita Report", Maria.Id);
        Ivan = await LearnerAsync("Ivan Indirect", Rita.Id);
        Otto = await LearnerAsync("Otto Outsider");
        Course = await CourseAsync("Safety 101", gradedSteps: 2);
        Visible = await PublishedCertificationAsync("Workplace Safety", [Course.Id]);
        Invisible = await PublishedCertificationAsync("Hidden Audit", [Course.Id], invisible: true);
        var enrolment = Portal.Services.GetRequiredService<EnrollmentService>();
        foreach (var learner in new[] { Rita, Ivan })
        {
            var saved = await enrolment.SaveIndividualAsync(Actor.System, learner.Id, [Visible, Invisible], []);
            Assert.True(saved.Succeeded, saved.Message);
        }

        await AccountAsync(Maria, PortalRoles.Manager);
        await AccountAsync(Rita);
    }
}

public sealed class LearnerStatusApiTests(LearnerStatusPortal fixture) : IClassFixture<LearnerStatusPortal>
{
    private static string PathOf(int learnerId) => $"/api/v1/learners/{learnerId}/certifications";

    private static JsonElement Certification(JsonElement body, int id) =>
        body.GetProperty("certifications").EnumerateArray().Single(c => c.GetProperty("certificationId").GetInt32() == id);

    [Fact]
    public async Task AKeyReadsAnyLearnersStatusWithGradesAgainstTheMinimumAndIsoDates()
    {
        var (_, _, key) = await fixture.NewKeyAsync();
        using var client = fixture.Client();
        var step = fixture.Course.Steps[0].Id;
        // Results count from the moment of assignment (no grace period): this one is completed now, after it.
        using var sent = await client.SendAsync(HttpMethod.Post, "/api/v1/results", key, new
        {
            results = new[] { new { externalId = Guid.NewGuid().ToString("N"), learnerId = fixture.Rita.Id, stepId = step, score = 91.5, completedAt = fixture.Now.ToString("O") } },
        });
        Assert.Equal(HttpStatusCode.OK, sent.StatusCode);

        using var response = await client.SendAsync(HttpMethod.Get, PathOf(fixture.Rita.Id), key);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.JsonAsync();
        Assert.Equal(fixture.Rita.Id, body.GetProperty("learnerId").GetInt32());
        var visible = Certification(body, fixture.Visible);
        Assert.Equal("inProgress", visible.GetProperty("status").GetString());
        Assert.False(string.IsNullOrWhiteSpace(visible.GetProperty("summary").GetString()));
        Assert.Equal((0, 1), (visible.GetProperty("coursesSatisfied").GetInt32(), visible.GetProperty("coursesRequired").GetInt32()));
        Assert.False(visible.GetProperty("invisible").GetBoolean());
        Assert.Equal(DateOnly.FromDateTime(fixture.Now.AddDays(-30)).ToString("yyyy-MM-dd"), visible.GetProperty("effectiveFrom").GetString());
        Assert.Equal(JsonValueKind.Null, visible.GetProperty("completedOn").ValueKind);
        var course = visible.GetProperty("courses").EnumerateArray().Single();
        Assert.Equal(fixture.Course.Id, course.GetProperty("courseId").GetInt32());
        Assert.Equal(70m, course.GetProperty("minimumPassingGrade").GetDecimal());
        Assert.False(course.GetProperty("satisfied").GetBoolean());
        Assert.Equal((2, 1), (course.GetProperty("gradedSteps").GetInt32(), course.GetProperty("gradedStepsWithResult").GetInt32()));
    }

    [Fact]
    public async Task InvisibleCertificationsAreMarkedForAKeyAndAManagerAndHiddenFromTheLearnerThemselves()
    {
        var (_, _, key) = await fixture.NewKeyAsync();
        using var client = fixture.Client();
        using var maria = await fixture.SignInAsync(fixture.Maria);
        using var rita = await fixture.SignInAsync(fixture.Rita);

        using var byKey = await client.SendAsync(HttpMethod.Get, PathOf(fixture.Rita.Id), key);
        using var byManager = await maria.SendAsync(HttpMethod.Get, PathOf(fixture.Rita.Id), key: null);
        using var own = await rita.SendAsync(HttpMethod.Get, PathOf(fixture.Rita.Id), key: null);

        Assert.True(Certification(await byKey.JsonAsync(), fixture.Invisible).GetProperty("invisible").GetBoolean());
        Assert.True(Certification(await byManager.JsonAsync(), fixture.Invisible).GetProperty("invisible").GetBoolean());
        var ids = (await own.JsonAsync()).GetProperty("certifications").EnumerateArray().Select(c => c.GetProperty("certificationId").GetInt32()).ToList();
        Assert.Contains(fixture.Visible, ids);
        Assert.DoesNotContain(fixture.Invisible, ids);
    }

    [Fact]
    public async Task ALearnerReadsThemselvesThroughTheSignInCookieAndNobodyElse()
    {
        using var rita = await fixture.SignInAsync(fixture.Rita);

        using var own = await rita.SendAsync(HttpMethod.Get, PathOf(fixture.Rita.Id), key: null);
        using var other = await rita.SendAsync(HttpMethod.Get, PathOf(fixture.Otto.Id), key: null);

        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        Assert.Equal(fixture.Rita.Id, (await own.JsonAsync()).GetProperty("learnerId").GetInt32());
        var problem = await other.ProblemAsync(HttpStatusCode.Forbidden);
        Assert.Contains($"learner #{fixture.Otto.Id}", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AManagerReadsLearnersInTheirReportingLineAndGetsAProblemForTheWrongLearner()
    {
        using var maria = await fixture.SignInAsync(fixture.Maria);

        using var direct = await maria.SendAsync(HttpMethod.Get, PathOf(fixture.Rita.Id), key: null);
        using var indirect = await maria.SendAsync(HttpMethod.Get, PathOf(fixture.Ivan.Id), key: null);
        using var outside = await maria.SendAsync(HttpMethod.Get, PathOf(fixture.Otto.Id), key: null);

        Assert.Equal(HttpStatusCode.OK, direct.StatusCode);
        Assert.Equal(HttpStatusCode.OK, indirect.StatusCode);
        Assert.True(Certification(await indirect.JsonAsync(), fixture.Invisible).GetProperty("invisible").GetBoolean());
        await outside.ProblemAsync(HttpStatusCode.Forbidden);
        Assert.DoesNotContain("Otto", await outside.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnAdminReadsAnyLearnerThroughTheSignInCookie()
    {
        using var admin = await fixture.SignedInAsync(await fixture.LearnerAsync("Ada Admin"), PortalRoles.Admin);

        using var response = await admin.SendAsync(HttpMethod.Get, PathOf(fixture.Otto.Id), key: null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty((await response.JsonAsync()).GetProperty("certifications").EnumerateArray());
    }

    [Fact]
    public async Task AnUnknownLearnerIsNotFound()
    {
        var (_, _, key) = await fixture.NewKeyAsync();
        using var client = fixture.Client();

        using var response = await client.SendAsync(HttpMethod.Get, PathOf(999_999), key);

        await response.ProblemAsync(HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("cpk_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public async Task WithoutAValidKeyOrASignInTheAnswerIsUnauthorizedNeverARedirect(string? key)
    {
        using var client = fixture.Client();

        using var response = await client.SendAsync(HttpMethod.Get, PathOf(fixture.Rita.Id), key);

        await response.ProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task AKeySentWithACookieIsTheOnlyCredentialLookedAt()
    {
        using var rita = await fixture.SignInAsync(fixture.Rita);

        using var response = await rita.SendAsync(HttpMethod.Get, PathOf(fixture.Rita.Id), "cpk_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");

        await response.ProblemAsync(HttpStatusCode.Unauthorized);
    }
}
