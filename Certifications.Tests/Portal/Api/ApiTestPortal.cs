using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Certifications.Core.Auditing;
using Certifications.Core.Catalog;
using Certifications.Core.Certifications;
using Certifications.Core.Persistence;
using Certifications.Core.Security;
using Certifications.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Certifications.Tests.Portal.Api;

/// <summary>A portal without demo data, and what the API tests do with it: keys, calls, accounts, and a look at the database.</summary>
public class ApiTestPortal : IAsyncLifetime
{
    public const string Password = "a-long-test-password-2026";

    public ApiTestPortal()
        : this(null)
    {
    }

    protected ApiTestPortal(IDictionary<string, string?>? settings)
    {
        Portal = new PortalFactory(seedDemoData: false, extraSettings: settings);
    }

    public PortalFactory Portal { get; }

    public DateTime Now => Portal.Services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;

    public virtual Task InitializeAsync()
    {
        _ = Portal.Server;
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await Portal.DisposeAsync();

    public HttpClient Client() => Portal.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });

    /// <summary>A new active key: its name (unique) and secret.</summary>
    public async Task<(int Id, string Name, string Secret)> NewKeyAsync(string name = "Integration")
    {
        var unique = $"{name} {Guid.NewGuid():N}";
        var outcome = await Portal.Services.GetRequiredService<ApiKeys>().CreateAsync(Actor.System, new ApiKeyDraft { Name = unique });
        Assert.True(outcome.Succeeded, outcome.Message);
        return (outcome.Id!.Value, unique, outcome.Secret!.Value);
    }

    public async Task<CertificationsDbContext> DbAsync() =>
        await Portal.Services.GetRequiredService<IDbContextFactory<CertificationsDbContext>>().CreateDbContextAsync();

    public async Task<Learner> LearnerAsync(string name, int? managerId = null)
    {
        await using var db = await DbAsync();
        var email = $"{name.Replace(' ', '.').ToLowerInvariant()}.{Guid.NewGuid():N}@example.com";
        var learner = new Learner { Name = name, Email = email, NormalizedEmail = email.ToUpperInvariant(), ManagerId = managerId };
        db.Learners.Add(learner);
        await db.SaveChangesAsync();
        return learner;
    }

    /// <summary>A published course of graded steps (and ungraded ones after them), written straight to the database.</summary>
    public async Task<Course> CourseAsync(string title, int gradedSteps = 1, int ungradedSteps = 0)
    {
        await using var db = await DbAsync();
        var course = new Course { Title = $"{title} {Guid.NewGuid():N}", IsPublished = true };
        for (var i = 0; i < gradedSteps + ungradedSteps; i++)
        {
            course.Steps.Add(new Step { Title = $"Step {i + 1}", Position = i + 1, IsGraded = i < gradedSteps });
        }

        db.Courses.Add(course);
        await db.SaveChangesAsync();
        return course;
    }

    /// <summary>A certification published by the portal's own service, of these courses, targeting these groups.</summary>
    public async Task<int> PublishedCertificationAsync(string name, int[] courseIds, int[]? groupIds = null, bool invisible = false)
    {
        var service = Portal.Services.GetRequiredService<CertificationService>();
        var created = await service.CreateAsync(
            new CertificationDraft
            {
                Name = $"{name} {Guid.NewGuid().ToString("N")[..8]}",
                EffectiveFrom = DateOnly.FromDateTime(Now.AddDays(-30)),
                MinimumPassingGrade = 70,
                IsInvisible = invisible,
                CourseIds = [.. courseIds],
                GroupIds = [.. groupIds ?? []],
            },
            Actor.System);
        Assert.True(created.Succeeded, string.Join(" ", created.Errors.Select(e => e.Message)));
        var published = await service.PublishAsync(created.Id!.Value, created.Version!.Value, Actor.System);
        Assert.True(published.Succeeded, string.Join(" ", published.Errors.Select(e => e.Message)));
        return created.Id.Value;
    }

    /// <summary>An account of the learner (every account is a learner) with these further roles.</summary>
    public async Task AccountAsync(Learner learner, params string[] roles)
    {
        await using var scope = Portal.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        var user = new PortalUser { UserName = learner.Email, Email = learner.Email, EmailConfirmed = true, DisplayName = learner.Name, LearnerId = learner.Id };
        Assert.True((await users.CreateAsync(user, Password)).Succeeded);
        Assert.True((await users.AddToRolesAsync(user, [PortalRoles.Learner, .. roles])).Succeeded);
    }

    /// <summary>A client with its own cookies, signed in through the real sign-in form with the learner's account.</summary>
    public async Task<HttpClient> SignInAsync(Learner learner)
    {
        var browser = PortalSignIn.AnonymousClient(Portal);
        using var signedIn = await PortalSignIn.SubmitAsync(browser, learner.Email, Password);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        return browser;
    }

    /// <summary>A new account of the learner with these roles, signed in.</summary>
    public async Task<HttpClient> SignedInAsync(Learner learner, params string[] roles)
    {
        await AccountAsync(learner, roles);
        return await SignInAsync(learner);
    }
}

/// <summary>Calls to the API, as another system would make them.</summary>
internal static class ApiCalls
{
    public static async Task<HttpResponseMessage> SendAsync(this HttpClient client, HttpMethod method, string path, string? key, object? body = null, string? ifMatch = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        if (body is not null)
        {
            request.Content = body as HttpContent ?? new StringContent(body as string ?? JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");
        }

        if (key is not null)
        {
            request.Headers.Add("X-Api-Key", key);
        }

        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }

        return await client.SendAsync(request);
    }

    public static async Task<JsonElement> JsonAsync(this HttpResponseMessage response) => await response.Content.ReadFromJsonAsync<JsonElement>();

    /// <summary>Asserts a problem+json answer with this status and returns it.</summary>
    public static async Task<JsonElement> ProblemAsync(this HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.JsonAsync();
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        return problem;
    }

    /// <summary>The messages of a validation problem for one field.</summary>
    public static string[] Errors(this JsonElement problem, string field) =>
        problem.GetProperty("errors").TryGetProperty(field, out var messages) ? [.. messages.EnumerateArray().Select(m => m.GetString()!)] : [];

    public static string ETag(this HttpResponseMessage response) => response.Headers.ETag?.ToString() ?? throw new InvalidOperationException("No ETag.");
}
