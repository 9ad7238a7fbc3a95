namespace Certifications.Core.Security;

/// <summary>
/// A key another system sends results with. Only the SHA-256 of the secret is kept: the secret itself is shown once,
/// to the admin who created it, and cannot be read back.
/// </summary>
public sealed class ApiKey
{
    public const int NameMaxLength = 100;

    /// <summary>How many leading characters of the secret are kept in clear, to tell keys apart in lists.</summary>
    public const int PrefixLength = 8;

    public int Id { get; set; }

    /// <summary>Names the sending system in lists and in the audit trail; unique among active keys.</summary>
    public required string Name { get; set; }

    public required string Prefix { get; set; }

    /// <summary>SHA-256 of the secret, lowercase hex.</summary>
    public required string Hash { get; set; }

    public DateTime CreatedAt { get; set; }

    public required string CreatedBy { get; set; }

    /// <summary>Set once; a revoked key authenticates nothing.</summary>
    public DateTime? RevokedAt { get; set; }

    /// <summary>When the key last authenticated a request, to the minute.</summary>
    public DateTime? LastUsedAt { get; set; }
}

/// <summary>What the "New API key" form edits. The service validates it again before saving anything.</summary>
public sealed class ApiKeyDraft
{
    public string Name { get; set; } = "";
}

/// <summary>One key in the admin's list: never its secret or its hash.</summary>
public sealed record ApiKeyRow(int Id, string Name, string Prefix, DateTime CreatedAt, string CreatedBy, DateTime? RevokedAt, DateTime? LastUsedAt)
{
    public bool IsActive => RevokedAt is null;
}

/// <summary>A new key's secret, returned once to the admin who created it and never stored or recorded in clear.</summary>
public sealed record ApiKeySecret(string Value)
{
    public override string ToString() => "ApiKeySecret { Value = (hidden) }";
}

/// <summary>What a change to the keys did, or why nothing was saved.</summary>
public sealed record ApiKeyOutcome(int? Id, Certifications.FailureKind Failure, IReadOnlyList<Certifications.FieldError> Errors, ApiKeySecret? Secret = null)
{
    public bool Succeeded => Failure == Certifications.FailureKind.None;

    /// <summary>Every message in one sentence, for a snackbar.</summary>
    public string Message => string.Join(" ", Errors.Select(e => e.Message));

    public static ApiKeyOutcome Done(int id, ApiKeySecret? secret = null) => new(id, Certifications.FailureKind.None, [], secret);

    public static ApiKeyOutcome Fail(Certifications.FailureKind kind, string message, string field = "") => new(null, kind, [new Certifications.FieldError(field, message)]);
}
