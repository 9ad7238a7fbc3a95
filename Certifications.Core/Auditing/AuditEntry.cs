namespace Certifications.Core.Auditing;

/// <summary>One recorded change: who, when, what, and the changed values as JSON.</summary>
public sealed class AuditEntry
{
    public long Id { get; set; }
    public DateTime At { get; set; }
    public required string Actor { get; set; }
    public required string EntityType { get; set; }
    public required string EntityId { get; set; }
    public required string Action { get; set; }
    public string? Changes { get; set; }
}
