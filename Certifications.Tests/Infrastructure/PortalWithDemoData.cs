namespace Certifications.Tests.Infrastructure;

/// <summary>One portal with demo data, shared by the HTTP tests that only read from it.</summary>
public sealed class PortalWithDemoData : IAsyncLifetime
{
    public const string Name = "Portal with demo data";

    public PortalFactory Portal { get; } = new(seedDemoData: true);

    public Task InitializeAsync()
    {
        // Starting the host migrates and seeds before the first request.
        _ = Portal.Server;
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await Portal.DisposeAsync();
}

[CollectionDefinition(PortalWithDemoData.Name)]
public sealed class PortalWithDemoDataTests : ICollectionFixture<PortalWithDemoData>;
