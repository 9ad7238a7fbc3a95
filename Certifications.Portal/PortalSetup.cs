using Certifications.Core;
using Certifications.Core.Demo;
using Certifications.Core.Persistence;
using Certifications.Core.Progress;
using Certifications.Core.Security;
using Certifications.Portal.Api;
using Certifications.Portal.Components.Layout;
using Certifications.Portal.Errors;
using Certifications.Portal.Exports;
using Certifications.Portal.Health;
using Certifications.Portal.Jobs;
using Certifications.Portal.Security;
using Microsoft.AspNetCore.Identity;
using Certifications.Portal.Components;
using MudBlazor.Services;

namespace Certifications.Portal;

internal static class PortalSetup
{
    public static WebApplicationBuilder AddPortal(this WebApplicationBuilder builder)
    {
        // The configuration file sits beside the solution and is copied next to the binaries; environment
        // variables and the command line still override it.
        builder.Configuration
            .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true, reloadOnChange: false)
            .AddEnvironmentVariables()
            .AddCommandLine(Environment.GetCommandLineArgs().Skip(1).ToArray());

        builder.Services.AddCertificationsCore(builder.Configuration);
        builder.Services.AddSingleton<DemoDataSeeder>();
        builder.Services.AddSingleton<DemoFeed>();
        builder.Services.AddHostedService<DemoFeedService>();
        builder.Services.AddRenewalScheduler();
        builder.Services.AddRazorComponents()
            .AddInteractiveServerComponents(options => options.DetailedErrors = builder.Environment.IsDevelopment());
        builder.Services.AddMudServices();
        builder.Services.AddPortalSecurity(builder.Environment);
        builder.Services.AddPortalApi();
        builder.Services.AddCertificateEndpoints();
        builder.Services.AddPortalHealth();
        builder.Services.AddReverseProxySupport();
        builder.Services.AddUnexpectedErrorLog();
        return builder;
    }

    /// <summary>
    /// Migrates the schema and, in demo mode, fills an empty database, before the first request is served; instances
    /// started together on one database do it in turns, the later ones finding it done.
    /// </summary>
    public static async Task PrepareDatabaseAsync(this WebApplication app)
    {
        await using var turn = await StartupLock.AcquireAsync(app.Services.GetRequiredService<DatabaseSettings>());
        await app.Services.GetRequiredService<DatabaseInitializer>().MigrateAsync();
        var accounts = app.Services.GetRequiredService<AccountSetup>();
        await accounts.EnsureRolesAsync();
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Certifications.Portal");
        if (IsDemo(app.Configuration))
        {
            if (await app.Services.GetRequiredService<DemoDataSeeder>().SeedIfEmptyAsync())
            {
                var changed = await app.Services.GetRequiredService<ProgressRecompute>().RecomputeAllAsync();
                PortalLog.DemoDataSeeded(logger, changed);
            }

            await accounts.CreateDemoAccountsAsync(DemoPassword(app.Configuration));
        }

        await using var scope = app.Services.CreateAsyncScope();
        if (await accounts.BootstrapAdministratorAsync(
                app.Configuration["Bootstrap:AdminEmail"],
                app.Configuration["Bootstrap:AdminPassword"],
                scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>()))
        {
            PortalLog.AdministratorBootstrapped(logger, app.Configuration["Bootstrap:AdminEmail"]!);
        }
    }

    public static bool IsDemo(IConfiguration configuration) => configuration.GetValue("Demo:Seed", true);

    /// <summary>The password of every demo account; only demo mode has one.</summary>
    public static string DemoPassword(IConfiguration configuration) => configuration["Demo:Password"] is { Length: > 0 } password
        ? password
        : throw new InvalidOperationException("Demo mode needs Demo:Password in appsettings.json.");

    public static WebApplication UsePortal(this WebApplication app)
    {
        // First: everything after it sees the client's address and scheme, not the load balancer's.
        app.UseForwardedHeaders();
        if (!app.Environment.IsDevelopment())
        {
            app.UseExceptionHandler("/Error", createScopeForErrors: true);
            app.UseHsts();
        }

        app.UseSecurityHeaders();
        app.UseThemeChoice();
        app.UseStatusCodePagesWithReExecute("/status/{0}", createScopeForStatusCodePages: true);
        app.UsePortalApi();
        app.UseRouting();
        app.UseRateLimiter();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();
        app.MapStaticAssets();
        app.MapAccountEndpoints();
        app.MapPortalApi();
        app.MapCertificateDownloads();
        app.MapEvidenceDownloads();
        app.MapExports();
        app.MapPortalHealth();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        return app;
    }
}
