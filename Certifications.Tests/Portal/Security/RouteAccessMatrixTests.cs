using System.Net;
using System.Reflection;
using Certifications.Core.Persistence;
using Certifications.Core.Security;
using Certifications.Tests.Infrastructure;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Certifications.Tests.Portal.Security;

/// <summary>
/// Every page and endpoint of the portal, discovered rather than listed by hand, answers each kind of visitor as its
/// rule says. A new page or endpoint without a decided rule fails here until one is written down.
/// </summary>
[Collection(PortalWithDemoData.Name)]
public sealed class RouteAccessMatrixTests(PortalWithDemoData fixture)
{
    private enum Rule
    {
        /// <summary>Anyone, signed in or not.</summary>
        Public,

        /// <summary>Sends each visitor to their own home.</summary>
        FrontDoor,

        /// <summary>Any signed-in user (every account is a learner).</summary>
        SignedIn,
        Manager,

        /// <summary>Managers, and admins whether or not they manage anyone (the demo admin does; see ManageAccessTests).</summary>
        ManagerOrAdmin,
        Admin,

        /// <summary>A form post: refused without the antiforgery token the portal's own pages carry.</summary>
        FormPost,

        /// <summary>An API call: refused (401, never a redirect) without an API key, whatever cookie comes with it.</summary>
        ApiKey,

        /// <summary>
        /// An API read of a learner: without a key, the sign-in cookie with the user's own rights (the sample learner is in
        /// the demo manager's line, not the demo learner's own); nobody signed in gets 401, never a redirect.
        /// </summary>
        ApiKeyOrSignIn,

        /// <summary>
        /// A learner's certificate: the learner, their managers and admins (the sample learner is in the demo manager's line,
        /// not the demo learner's own); tried on a period that never exists, so those allowed get 404 and the others 403.
        /// </summary>
        LearnerDocument,

        /// <summary>
        /// A completion record's evidence file: an admin or the learner themself; tried on a record that never exists, so
        /// every signed-in visitor gets 404 (EvidenceEndpointTests checks who gets a real one).
        /// </summary>
        Evidence,
    }

    private static readonly string[] Visitors = ["Anonymous", PortalRoles.Learner, PortalRoles.Manager, PortalRoles.Admin];

    private static readonly Dictionary<string, Rule> Rules = new(StringComparer.OrdinalIgnoreCase)
    {
        ["/"] = Rule.FrontDoor,
        ["/{**path:file}"] = Rule.Public,
        ["/Error"] = Rule.Public,
        ["/not-found"] = Rule.Public,
        ["/status/{Code:int}"] = Rule.Public,
        ["/account/sign-in"] = Rule.Public,
        ["/account/sign-out"] = Rule.FormPost,
        ["/verify/{Code}"] = Rule.Public,
        ["/health/live"] = Rule.Public,
        ["/health/ready"] = Rule.Public,
        ["/certificates/{learnerId:int}/{certificationId:int}/{number:int}"] = Rule.LearnerDocument,
        ["/evidence/{recordId:long}"] = Rule.Evidence,
        ["/exports/certifications/{certificationId:int}/learners"] = Rule.Admin,
        ["/exports/certifications/{certificationId:int}/audit-trail"] = Rule.Admin,
        ["/exports/learners/{learnerId:int}/audit-trail"] = Rule.Admin,
        ["/me"] = Rule.SignedIn,
        ["/notifications"] = Rule.SignedIn,
        ["/manage"] = Rule.Manager,
        ["/manage/learners/{LearnerId:int}"] = Rule.Manager,
        ["/manage/certifications/{Id:int}"] = Rule.ManagerOrAdmin,
        ["/admin"] = Rule.Admin,
        ["/admin/automate/certifications"] = Rule.Admin,
        ["/admin/automate/certifications/new"] = Rule.Admin,
        ["/admin/automate/certifications/{Id:int}"] = Rule.Admin,
        ["/admin/catalog/courses"] = Rule.Admin,
        ["/admin/catalog/courses/{Id:int}"] = Rule.Admin,
        ["/admin/catalog/groups"] = Rule.Admin,
        ["/admin/catalog/groups/{Id:int}"] = Rule.Admin,
        ["/admin/learners"] = Rule.Admin,
        ["/admin/learners/{LearnerId:int}"] = Rule.Admin,
        ["/admin/learners/{LearnerId:int}/enrollment"] = Rule.Admin,
        ["/admin/users"] = Rule.Admin,
        ["/admin/settings/api-keys"] = Rule.Admin,
        ["/admin/settings/api-keys/reference"] = Rule.Admin,
        ["/admin/settings/scheduler"] = Rule.Admin,
        ["/admin/import"] = Rule.Admin,
        ["/api/v1/results"] = Rule.ApiKey,
        ["/api/v1/imports/completions"] = Rule.ApiKey,
        ["/api/v1/learners"] = Rule.ApiKey,
        ["/api/v1/learners/{learnerId:int}"] = Rule.ApiKey,
        ["/api/v1/learners/{learnerId:int}/certifications"] = Rule.ApiKeyOrSignIn,
        ["/api/v1/courses"] = Rule.ApiKey,
        ["/api/v1/courses/{id:int}"] = Rule.ApiKey,
        ["/api/v1/groups"] = Rule.ApiKey,
        ["/api/v1/groups/{id:int}"] = Rule.ApiKey,
        ["/api/v1/groups/{id:int}/members"] = Rule.ApiKey,
    };

    [Fact]
    public void EveryRoutablePageHasADecidedRule()
    {
        var pages = typeof(Program).Assembly.GetTypes()
            .SelectMany(t => t.GetCustomAttributes<RouteAttribute>().Select(r => r.Template))
            .ToList();

        Assert.NotEmpty(pages);
        Assert.All(pages, template => Assert.True(Rules.ContainsKey(template), $"The page {template} has no access rule in this test."));
    }

    [Fact]
    public void EveryMappedEndpointHasADecidedRule()
    {
        var templates = Endpoints().ToList();

        Assert.Contains("/account/sign-out", templates);
        Assert.All(templates, template => Assert.True(Rules.ContainsKey(template), $"The endpoint {template} has no access rule in this test."));
    }

    [Fact]
    public async Task EachRouteAnswersEachKindOfVisitorAsItsRuleSays()
    {
        var clients = new Dictionary<string, HttpClient> { ["Anonymous"] = PortalSignIn.AnonymousClient(fixture.Portal) };
        foreach (var role in Visitors.Skip(1))
        {
            clients[role] = await PortalSignIn.AsAsync(fixture.Portal, role);
        }

        var sampleReport = await SampleReportOfDemoManagerAsync();
        var failures = new List<string>();
        foreach (var template in Endpoints().Where(Rules.ContainsKey))
        {
            var report = sampleReport.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var url = template.Replace("{**path:file}", "app.css", StringComparison.Ordinal).Replace("{Code:int}", "404", StringComparison.Ordinal)
                .Replace("{Id:int}", "1", StringComparison.OrdinalIgnoreCase).Replace("{LearnerId:int}", report, StringComparison.OrdinalIgnoreCase)
                .Replace("{certificationId:int}", "1", StringComparison.Ordinal).Replace("{number:int}", "0", StringComparison.Ordinal)
                .Replace("{recordId:long}", "0", StringComparison.Ordinal)
                .Replace("{Code}", "0000-0000-0000-0000", StringComparison.Ordinal);
            foreach (var method in Rules[template] is Rule.ApiKey or Rule.ApiKeyOrSignIn ? MethodsOf(template) : ["GET"])
            {
                foreach (var visitor in Visitors)
                {
                    using var response = Rules[template] switch
                    {
                        Rule.FormPost => await clients[visitor].PostAsync(new Uri(url, UriKind.Relative), new FormUrlEncodedContent([])),
                        Rule.ApiKey or Rule.ApiKeyOrSignIn => await clients[visitor].SendAsync(new HttpRequestMessage(new HttpMethod(method), new Uri(url, UriKind.Relative))
                        {
                            Content = method == "GET" ? null : new StringContent("{}", System.Text.Encoding.UTF8, "application/json"),
                        }),
                        _ => await clients[visitor].GetAsync(new Uri(url, UriKind.Relative)),
                    };
                    var expected = Expected(Rules[template], visitor);
                    var actual = Describe(response);
                    if (expected != actual)
                    {
                        failures.Add($"{visitor} {method} {url}: expected {expected}, got {actual}");
                    }
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
        foreach (var client in clients.Values)
        {
            client.Dispose();
        }
    }

    private static string Expected(Rule rule, string visitor) => (rule, visitor) switch
    {
        (Rule.Public, _) => "200",
        (Rule.FrontDoor, "Anonymous") => "redirect to /account/sign-in",
        (Rule.FrontDoor, PortalRoles.Learner) => "redirect to /me",
        (Rule.FrontDoor, PortalRoles.Manager) => "redirect to /manage",
        (Rule.FrontDoor, _) => "redirect to /admin",
        (Rule.FormPost, _) => "400",
        (Rule.ApiKey, _) => "401",
        (Rule.ApiKeyOrSignIn, "Anonymous") => "401",
        (Rule.ApiKeyOrSignIn, PortalRoles.Learner) => "403",
        (Rule.ApiKeyOrSignIn, _) => "200",
        (_, "Anonymous") => "redirect to /account/sign-in",
        (Rule.LearnerDocument, PortalRoles.Learner) => "403",
        (Rule.LearnerDocument, _) => "404",
        (Rule.Evidence, _) => "404",
        (Rule.SignedIn, _) => "200",
        (Rule.Manager, PortalRoles.Learner) => "403",
        (Rule.Manager, _) => "200",
        (Rule.ManagerOrAdmin, PortalRoles.Learner) => "403",
        (Rule.ManagerOrAdmin, _) => "200",
        (Rule.Admin, PortalRoles.Admin) => "200",
        (Rule.Admin, _) => "403",
        _ => "undecided",
    };

    private static string Describe(HttpResponseMessage response) => response.StatusCode switch
    {
        HttpStatusCode.Redirect or HttpStatusCode.Found => $"redirect to {PathOf(response.Headers.Location)}",
        var code => ((int)code).ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    private static string? PathOf(Uri? location) =>
        location is null ? null : location.IsAbsoluteUri ? location.AbsolutePath : location.OriginalString.Split('?')[0];

    /// <summary>The HTTP methods mapped at a template: each is tried on an API endpoint.</summary>
    private List<string> MethodsOf(string template) =>
    [
        .. fixture.Portal.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Where(e => "/" + (e.RoutePattern.RawText ?? "").TrimStart('/') == template)
            .SelectMany(e => e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.IHttpMethodMetadata>()?.HttpMethods ?? ["GET"])
            .Distinct()
            .Order(StringComparer.Ordinal),
    ];

    private IEnumerable<string> Endpoints() =>
        fixture.Portal.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Select(e => "/" + (e.RoutePattern.RawText ?? "").TrimStart('/'))
            .Where(pattern => !pattern.StartsWith("/_", StringComparison.Ordinal) && !pattern.Split('/')[^1].Contains('.', StringComparison.Ordinal))
            .Distinct();

    private async Task<int> SampleReportOfDemoManagerAsync()
    {
        var accounts = await fixture.Portal.Services.GetRequiredService<AccountSetup>().DemoAccountsAsync();
        var managerEmail = accounts.Single(a => a.Role == PortalRoles.Manager).Email.ToUpperInvariant();
        var factory = fixture.Portal.Services.GetRequiredService<IDbContextFactory<CertificationsDbContext>>();
        await using var db = await factory.CreateDbContextAsync();
        var managerId = await db.Users.Where(u => u.NormalizedEmail == managerEmail).Select(u => u.LearnerId).SingleAsync();
        return await db.Learners.Where(l => l.ManagerId == managerId).OrderBy(l => l.Id).Select(l => l.Id).FirstAsync();
    }
}
