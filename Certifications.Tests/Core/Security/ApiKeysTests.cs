using Certifications.Core.Auditing;
using Certifications.Core.Certifications;
using Certifications.Core.Persistence;
using Certifications.Core.Security;
using Certifications.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace Certifications.Tests.Core.Security;

public sealed class ApiKeysTests : IAsyncLifetime
{
    private static readonly Actor Alice = Actor.Admin("alice@example.com");
    private static readonly Actor Learner = new("lena@example.com", 7, new HashSet<string> { PortalRoles.Learner });
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));
    private TestDatabase database = null!;
    private ApiKeys keys = null!;

    public async Task InitializeAsync()
    {
        database = await TestDatabase.CreateAsync();
        keys = new ApiKeys(database.Factory, new AccessGuard(database.Factory, time), time);
    }

    public async Task DisposeAsync() => await database.DisposeAsync();

    private async Task<(int Id, string Secret)> CreateAsync(string name)
    {
        var outcome = await keys.CreateAsync(Alice, new ApiKeyDraft { Name = name });
        Assert.True(outcome.Succeeded, outcome.Message);
        return (outcome.Id!.Value, outcome.Secret!.Value);
    }

    [Fact]
    public async Task ACreatedKeyReturnsItsSecretOnceAndStoresOnlyItsHash()
    {
        var (id, secret) = await CreateAsync("  Learning platform ");

        Assert.StartsWith(ApiKeys.SecretPrefix, secret, StringComparison.Ordinal);
        Assert.Equal(4 + 43, secret.Length);
        await using var db = database.CreateContext();
        var stored = await db.ApiKeys.SingleAsync(k => k.Id == id);
        Assert.Equal("Learning platform", stored.Name);
        Assert.Equal(secret[..8], stored.Prefix);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(secret))), stored.Hash);
        Assert.Equal(Alice.Name, stored.CreatedBy);
        Assert.Equal(time.GetUtcNow().UtcDateTime, stored.CreatedAt);
        Assert.DoesNotContain(db.ApiKeys.AsEnumerable(), k => k.Hash.Contains(secret, StringComparison.Ordinal) || k.Name.Contains(secret, StringComparison.Ordinal));
        var audit = await db.AuditEntries.SingleAsync(e => e.EntityType == "ApiKey");
        Assert.Equal("Created", audit.Action);
        Assert.DoesNotContain(secret, audit.Changes ?? "", StringComparison.Ordinal);
    }

    [Fact]
    public async Task TwoKeysNeverShareASecret()
    {
        var (_, first) = await CreateAsync("First");
        var (_, second) = await CreateAsync("Second");

        Assert.NotEqual(first, second);
    }

    [Theory]
    [InlineData("", "Enter a name")]
    [InlineData("   ", "Enter a name")]
    [InlineData("learning PLATFORM", "already named")]
    public async Task AnInvalidNameSavesNothing(string name, string message)
    {
        await CreateAsync("Learning platform");

        var outcome = await keys.CreateAsync(Alice, new ApiKeyDraft { Name = name });

        Assert.Equal(FailureKind.Invalid, outcome.Failure);
        Assert.Contains(message, outcome.Message, StringComparison.Ordinal);
        Assert.Null(outcome.Secret);
        await using var db = database.CreateContext();
        Assert.Equal(1, await db.ApiKeys.CountAsync());
    }

    [Fact]
    public async Task ANameLongerThanOneHundredCharactersIsRefused()
    {
        var outcome = await keys.CreateAsync(Alice, new ApiKeyDraft { Name = new string('k', 101) });

        Assert.Equal(FailureKind.Invalid, outcome.Failure);
        Assert.Contains("at most 100", outcome.Message, StringComparison.Ordinal);
    }

    // SQLite's NOCASE, PostgreSQL's case-insensitive collation: in the check before saving and in the unique index alike.
    [Fact]
    public async Task AnActiveKeysNameInAnotherCaseIsRefusedBeforeSavingAndByTheUniqueIndex()
    {
        await CreateAsync("Learning Platform");

        var outcome = await keys.CreateAsync(Alice, new ApiKeyDraft { Name = "LEARNING platform" });
        await using var db = database.CreateContext();
        db.ApiKeys.Add(new ApiKey { Name = "learning PLATFORM", Prefix = "cpk_abcd", Hash = new string('0', 64), CreatedAt = time.GetUtcNow().UtcDateTime, CreatedBy = "a race" });
        var refused = await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());

        Assert.Equal(FailureKind.Invalid, outcome.Failure);
        Assert.True(UniqueViolation.Caused(refused), refused.InnerException?.Message);
        await using var check = database.CreateContext();
        Assert.Equal(["Learning Platform"], await check.ApiKeys.Select(k => k.Name).ToListAsync());
    }

    [Fact]
    public async Task TheNameOfARevokedKeyCanBeUsedAgain()
    {
        var (id, _) = await CreateAsync("Learning platform");
        Assert.True((await keys.RevokeAsync(Alice, id)).Succeeded);

        var outcome = await keys.CreateAsync(Alice, new ApiKeyDraft { Name = "Learning platform" });

        Assert.True(outcome.Succeeded, outcome.Message);
    }

    [Fact]
    public async Task AnActiveKeyAuthenticatesAsAnApiClientNamedAfterIt()
    {
        var (_, secret) = await CreateAsync("Learning platform");

        var actor = await keys.AuthenticateAsync(secret);

        Assert.NotNull(actor);
        Assert.True(actor.IsApiClient);
        Assert.False(actor.IsAdmin);
        Assert.Equal("Learning platform", actor.Name);
    }

    [Fact]
    public async Task AuthenticatingRecordsTheLastUseAtMostOnceAMinute()
    {
        var (id, secret) = await CreateAsync("Learning platform");
        var first = time.GetUtcNow().UtcDateTime;
        await keys.AuthenticateAsync(secret);
        time.Advance(TimeSpan.FromSeconds(30));
        await keys.AuthenticateAsync(secret);
        Assert.Equal(first, (await keys.ListAsync(Alice)).Single(k => k.Id == id).LastUsedAt);

        time.Advance(TimeSpan.FromSeconds(31));
        await keys.AuthenticateAsync(secret);

        Assert.Equal(time.GetUtcNow().UtcDateTime, (await keys.ListAsync(Alice)).Single(k => k.Id == id).LastUsedAt);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("cpk_")]
    [InlineData("not-a-key")]
    public async Task SomethingThatIsNoKeyAuthenticatesNothing(string? secret)
    {
        await CreateAsync("Learning platform");

        Assert.Null(await keys.AuthenticateAsync(secret));
    }

    [Fact]
    public async Task AKeyWithTheRightPrefixButAnotherSecretAuthenticatesNothing()
    {
        var (_, secret) = await CreateAsync("Learning platform");
        var forged = secret[..^1] + (secret[^1] == 'A' ? 'B' : 'A');

        Assert.Null(await keys.AuthenticateAsync(forged));
    }

    [Fact]
    public async Task ARevokedKeyAuthenticatesNothingAndTheRevocationIsAudited()
    {
        var (id, secret) = await CreateAsync("Learning platform");

        var outcome = await keys.RevokeAsync(Alice, id);

        Assert.True(outcome.Succeeded, outcome.Message);
        Assert.Null(await keys.AuthenticateAsync(secret));
        var row = (await keys.ListAsync(Alice)).Single();
        Assert.False(row.IsActive);
        Assert.Equal(time.GetUtcNow().UtcDateTime, row.RevokedAt);
        await using var db = database.CreateContext();
        Assert.Single(db.AuditEntries.Where(e => e.EntityType == "ApiKey" && e.Action == "Revoked" && e.Actor == Alice.Name));
    }

    [Fact]
    public async Task RevokingTwiceOrAnUnknownKeySaysSo()
    {
        var (id, _) = await CreateAsync("Learning platform");
        await keys.RevokeAsync(Alice, id);

        Assert.Equal(FailureKind.Conflict, (await keys.RevokeAsync(Alice, id)).Failure);
        Assert.Equal(FailureKind.NotFound, (await keys.RevokeAsync(Alice, id + 1)).Failure);
    }

    [Fact]
    public async Task TheListShowsActiveKeysFirstWithoutSecrets()
    {
        var (oldId, _) = await CreateAsync("Old");
        time.Advance(TimeSpan.FromMinutes(1));
        var (newId, _) = await CreateAsync("New");
        time.Advance(TimeSpan.FromMinutes(1));
        var (revokedId, _) = await CreateAsync("Revoked");
        await keys.RevokeAsync(Alice, revokedId);

        var rows = await keys.ListAsync(Alice);

        Assert.Equal([newId, oldId, revokedId], rows.Select(r => r.Id));
    }

    [Fact]
    public async Task OnlyAdminsManageKeys()
    {
        var (id, _) = await CreateAsync("Learning platform");
        var apiClient = Actor.ApiClient("Learning platform");

        foreach (var actor in new[] { Learner, apiClient, Actor.Anonymous })
        {
            await Assert.ThrowsAsync<AccessDeniedException>(() => keys.CreateAsync(actor, new ApiKeyDraft { Name = "Mine" }));
            await Assert.ThrowsAsync<AccessDeniedException>(() => keys.ListAsync(actor));
            await Assert.ThrowsAsync<AccessDeniedException>(() => keys.RevokeAsync(actor, id));
        }

        await using var db = database.CreateContext();
        Assert.Equal(1, await db.ApiKeys.CountAsync(k => k.RevokedAt == null));
    }
}
