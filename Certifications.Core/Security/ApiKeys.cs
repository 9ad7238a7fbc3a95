using System.Buffers.Text;
using System.Security.Cryptography;
using Certifications.Core.Auditing;
using Certifications.Core.Certifications;
using Certifications.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Certifications.Core.Security;

/// <summary>
/// The keys other systems send results with: admins create, list and revoke them, each change audited; the API
/// authenticates a request's key here. A secret is 32 random bytes, base64url, after <see cref="SecretPrefix"/>; it is
/// returned once at creation and only its SHA-256 is stored.
/// </summary>
public sealed class ApiKeys(IDbContextFactory<CertificationsDbContext> factory, AccessGuard guard, TimeProvider time)
{
    /// <summary>Marks a string as one of this portal's keys, so a leaked one is recognisable in logs and scanners.</summary>
    public const string SecretPrefix = "cpk_";

    private const int SecretBytes = 32;
    private const string EntityType = "ApiKey";
    private const string What = "API keys";

    /// <summary>A key's last use is written at most this often, so a busy sender does not write on every request.</summary>
    private static readonly TimeSpan LastUsedResolution = TimeSpan.FromMinutes(1);

    private static readonly int SecretLength = SecretPrefix.Length + Base64Url.GetEncodedLength(SecretBytes);

    /// <summary>Every key, the active ones first, newest first within each.</summary>
    public async Task<IReadOnlyList<ApiKeyRow>> ListAsync(Actor actor, CancellationToken ct = default)
    {
        await guard.RequireAdminAsync(actor, What, ct);
        await using var db = await factory.CreateDbContextAsync(ct);
        return await db.ApiKeys.AsNoTracking()
            .OrderBy(k => k.RevokedAt != null).ThenByDescending(k => k.CreatedAt).ThenByDescending(k => k.Id)
            .Select(k => new ApiKeyRow(k.Id, k.Name, k.Prefix, k.CreatedAt, k.CreatedBy, k.RevokedAt, k.LastUsedAt))
            .ToListAsync(ct);
    }

    /// <summary>Creates a key and returns its secret, the only time it can be read. Nothing is saved when the name is invalid.</summary>
    public async Task<ApiKeyOutcome> CreateAsync(Actor actor, ApiKeyDraft draft, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(draft);
        await guard.RequireAdminAsync(actor, "creating API keys", ct);
        var name = (draft.Name ?? "").Trim();
        await using var db = await factory.CreateDbContextAsync(ct);
        var taken = await db.ApiKeys.AnyAsync(k => k.RevokedAt == null && k.Name == name, ct);
        var validation = await new ApiKeyValidator(taken ? new HashSet<string>([name], StringComparer.OrdinalIgnoreCase) : []).ValidateAsync(draft, ct);
        if (!validation.IsValid)
        {
            return new ApiKeyOutcome(null, FailureKind.Invalid, [.. validation.Errors.Select(e => new FieldError(e.PropertyName, e.ErrorMessage))]);
        }

        var secret = SecretPrefix + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(SecretBytes));
        var now = time.GetUtcNow().UtcDateTime;
        var key = new ApiKey
        {
            Name = name,
            Prefix = secret[..ApiKey.PrefixLength],
            Hash = Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(secret))),
            CreatedAt = now,
            CreatedBy = actor.Name,
        };
        // The key and its audit entry commit together; the entry needs the key's id, so two saves in one transaction.
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        db.ApiKeys.Add(key);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException ex) when (UniqueViolation.Caused(ex))
        {
            // Another admin created an active key with this name at the same moment.
            return ApiKeyOutcome.Fail(FailureKind.Invalid, $"An active key is already named {name}.", nameof(ApiKeyDraft.Name));
        }

        AuditTrail.Record(db, now, actor.Name, EntityType, key.Id, "Created", new { key.Name, key.Prefix });
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return ApiKeyOutcome.Done(key.Id, new ApiKeySecret(secret));
    }

    /// <summary>Revokes the key for good: from now on it authenticates nothing.</summary>
    public async Task<ApiKeyOutcome> RevokeAsync(Actor actor, int id, CancellationToken ct = default)
    {
        await guard.RequireAdminAsync(actor, "revoking API keys", ct);
        await using var db = await factory.CreateDbContextAsync(ct);
        var key = await db.ApiKeys.SingleOrDefaultAsync(k => k.Id == id, ct);
        if (key is null)
        {
            return ApiKeyOutcome.Fail(FailureKind.NotFound, "This API key does not exist.");
        }

        if (key.RevokedAt is not null)
        {
            return ApiKeyOutcome.Fail(FailureKind.Conflict, $"The key {key.Name} is already revoked.");
        }

        key.RevokedAt = time.GetUtcNow().UtcDateTime;
        AuditTrail.Record(db, key.RevokedAt.Value, actor.Name, EntityType, key.Id, "Revoked", new { key.Name, key.Prefix });
        await db.SaveChangesAsync(ct);
        return ApiKeyOutcome.Done(key.Id);
    }

    /// <summary>The API client a secret stands for, or null when it is no active key of this portal.</summary>
    public async Task<Actor?> AuthenticateAsync(string? secret, CancellationToken ct = default)
    {
        if (secret is null || secret.Length != SecretLength || !secret.StartsWith(SecretPrefix, StringComparison.Ordinal))
        {
            return null;
        }

        var hash = SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(secret));
        var prefix = secret[..ApiKey.PrefixLength];
        await using var db = await factory.CreateDbContextAsync(ct);
        var candidates = await db.ApiKeys.AsNoTracking()
            .Where(k => k.Prefix == prefix && k.RevokedAt == null)
            .Select(k => new { k.Id, k.Name, k.Hash })
            .ToListAsync(ct);

        // The prefix only narrows the search; the hashes decide, compared in constant time.
        var match = candidates.FirstOrDefault(k => CryptographicOperations.FixedTimeEquals(Convert.FromHexString(k.Hash), hash));
        if (match is null)
        {
            return null;
        }

        var now = time.GetUtcNow().UtcDateTime;
        var stale = now - LastUsedResolution;
        await db.ApiKeys
            .Where(k => k.Id == match.Id && (k.LastUsedAt == null || k.LastUsedAt < stale))
            .ExecuteUpdateAsync(s => s.SetProperty(k => k.LastUsedAt, now), ct);
        return Actor.ApiClient(match.Name);
    }
}
