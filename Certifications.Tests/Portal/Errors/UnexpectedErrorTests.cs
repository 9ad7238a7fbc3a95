using System.Net;
using System.Text.RegularExpressions;
using Bunit;
using Certifications.Portal.Components.Layout;
using Certifications.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MudBlazor.Services;

namespace Certifications.Tests.Portal.Errors;

public sealed partial class UnexpectedErrorTests : IAsyncLifetime
{
    private BunitContext Context { get; } = new();

    private CapturedLog Log { get; } = new();

    [Fact]
    public async Task AFailedRequestShowsTheErrorPageWithTheIdItWasLoggedUnder()
    {
        await using var portal = new PortalFactory(seedDemoData: false, environment: "Production");
        await using var failing = portal.WithWebHostBuilder(builder =>
        {
            builder.ConfigureLogging(logging => logging.AddProvider(Log));
            builder.ConfigureServices(services => services.AddSingleton<IStartupFilter, FailingPath>());
        });
        using var client = failing.CreateClient();

        using var response = await client.GetAsync(new Uri(FailingPath.Path, UriKind.Relative));

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("Something went wrong", html, StringComparison.Ordinal);
        var shown = ErrorId().Match(html).Groups["id"].Value;
        Assert.NotEmpty(shown);
        var entry = Assert.Single(Log.Entries, e => e.Message.StartsWith("Unexpected error", StringComparison.Ordinal));
        Assert.Equal(shown, entry.Values["ErrorId"]);
        Assert.Equal($"GET {FailingPath.Path}", entry.Values["Where"]);
        Assert.IsType<InvalidOperationException>(entry.Exception);
    }

    [Fact]
    public void AnErrorInsideAnInteractivePageShowsTheIdItWasLoggedUnder()
    {
        var cut = Context.Render<PageErrorBoundary>(p => p.AddChildContent<FailingComponent>());

        var shown = cut.Find("[data-test='error-id']").TextContent.Trim();
        var entry = Assert.Single(Log.Entries, e => e.Message.StartsWith("Unexpected error", StringComparison.Ordinal));
        Assert.Equal(shown, entry.Values["ErrorId"]);
        Assert.IsType<InvalidOperationException>(entry.Exception);
        Assert.Contains("Something went wrong", cut.Markup, StringComparison.Ordinal);
    }

    public Task InitializeAsync()
    {
        Context.JSInterop.Mode = JSRuntimeMode.Loose;
        Context.Services.AddMudServices();
        Context.Services.AddLogging(logging => logging.AddProvider(Log));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await Context.DisposeAsync();

    [GeneratedRegex("data-test=\"error-id\">(?<id>[^<]+)<")]
    private static partial Regex ErrorId();

    /// <summary>A request the portal does not expect to fail, failing: the last step of the pipeline throws on one path.</summary>
    private sealed class FailingPath : IStartupFilter
    {
        public const string Path = "/failing-for-the-test";

        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            next(app);
            app.Use((context, nextMiddleware) => context.Request.Path == Path
                ? throw new InvalidOperationException("A failure the portal did not expect.")
                : nextMiddleware(context));
        };
    }

    private sealed class FailingComponent : ComponentBase
    {
        protected override void OnInitialized() => throw new InvalidOperationException("A failure the page did not expect.");
    }
}
