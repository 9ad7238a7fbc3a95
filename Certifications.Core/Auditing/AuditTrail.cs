using System.Text.Json;
using Certifications.Core.Persistence;

namespace Certifications.Core.Auditing;

/// <summary>Adds audit entries to the caller's context so they commit, or roll back, with the change they describe.</summary>
public static class AuditTrail
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = false };

    public static void Record(CertificationsDbContext db, DateTime at, string actor, string entityType, object entityId, string action, object? changes = null) =>
        db.AuditEntries.Add(new AuditEntry
        {
            At = at,
            Actor = actor,
            EntityType = entityType,
            EntityId = Convert.ToString(entityId, System.Globalization.CultureInfo.InvariantCulture) ?? "",
            Action = action,
            Changes = changes is null ? null : JsonSerializer.Serialize(changes, Json),
        });
}
