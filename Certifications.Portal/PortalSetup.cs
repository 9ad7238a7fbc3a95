using Certifications.Core;
using Certifications.Core.Demo;
using Certifications.Core.Persistence;
using Certifications.Core.Progress;
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
        builder.Services.AddRazorComponents().AddInteractiveServerComponents();
        builder.Services.AddMudServices();
        return builder;
    }

    /// <summary>Migrates the schema and, in demo mode, fills an empty database, before the first request is served.</summary>
    public static async Task PrepareDatabaseAsync(this WebApplication app)
    {
        await app.Services.GetRequiredService<DatabaseInitializer>().MigrateAsync();
        if (app.Configuration.GetValue("Demo:Seed", true))
        {
            var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Certifications.Demo");
            if (await app.Services.GetRequiredService<DemoDataSeeder>().SeedIfEmptyAsync())
            {
                var changed = await app.Services.GetRequiredService<ProgressRecompute>().RecomputeAllAsync();
                PortalLog.DemoDataSeeded(logger, changed);
            }
        }
    }

    public static WebApplication UsePortal(this WebApplication app)
    {
        if (!app.Environment.IsDevelopment())
        {
            app.UseExceptionHandler("/Error", createScopeForErrors: true);
        }

        app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
        app.UseAntiforgery();
        app.MapStaticAssets();
        app.MapGet("/", () => Results.Redirect("/admin")).ExcludeFromDescription();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        return app;
    }
}
