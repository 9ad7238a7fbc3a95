namespace Certifications.Tests.Infrastructure;

/// <summary>One portal with demo data, shared by the HTTP tests that only read from it.</summary>
public sealed class PortalWithDemoData : IAsyncLifetime
{
    public const string Name = "Portal with demo data";

    /// <summary>
    /// The route matrix sends every API endpoint a refused call per kind of visitor, all from the test server's one
    /// address: more than the per-address limit on such calls allows in a minute.
    /// </summary>
    public PortalFactory Portal { get; } = new(seedDemoData: true, extraSettings: new Dictionary<string, string?> { ["Api:UnauthenticatedRequestsPerMinute"] = "10000" });

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
