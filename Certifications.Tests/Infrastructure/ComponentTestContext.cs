using Bunit;
using Certifications.Core;
using Certifications.Core.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using MudBlazor;
using MudBlazor.Services;

namespace Certifications.Tests.Infrastructure;

/// <summary>
/// bUnit with MudBlazor's services, loose JS interop, a popover provider, and the real Core services on a private
/// SQLite database. MudBlazor's services are only async-disposable, so the context is disposed asynchronously.
/// </summary>
public abstract class ComponentTestContext : IAsyncLifetime
{
    protected FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));

    protected BunitContext Context { get; } = new();

    protected TestDatabase Database { get; private set; } = null!;

    public virtual async Task InitializeAsync()
    {
        Database = await TestDatabase.CreateAsync();
        Context.JSInterop.Mode = JSRuntimeMode.Loose;
        Context.Services.AddMudServices();
        Context.Services.AddCertificationsCore(new ConfigurationBuilder().Build());
        Context.Services.AddSingleton<TimeProvider>(Time);
        Context.Services.AddSingleton<IDbContextFactory<CertificationsDbContext>>(Database.Factory);
        Context.Render<MudPopoverProvider>();
    }

    public virtual async Task DisposeAsync()
    {
        await Context.DisposeAsync();
        await Database.DisposeAsync();
    }
}
