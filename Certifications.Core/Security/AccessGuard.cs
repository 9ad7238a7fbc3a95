using Certifications.Core.Auditing;
using Certifications.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Certifications.Core.Security;

/// <summary>
/// Decides, in the services, whether the actor may do what it asks, whatever the UI showed. A refusal is recorded in
/// the audit trail (in its own transaction, so it survives the refused action) and thrown.
/// </summary>
public sealed class AccessGuard(IDbContextFactory<CertificationsDbContext> factory, TimeProvider time)
{
    public async Task RequireAdminAsync(Actor actor, string what, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!actor.IsAdmin)
        {
            await DenyAsync(actor, what, ct);
        }
    }

    /// <summary>Sending results and keeping the catalog: an admin, or another system with an API key.</summary>
    public async Task RequireAdminOrApiClientAsync(Actor actor, string what, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!actor.IsAdmin && !actor.IsApiClient)
        {
            await DenyAsync(actor, what, ct);
        }
    }

    public async Task RequireSignedInAsync(Actor actor, string what, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!actor.IsSignedIn)
        {
            await DenyAsync(actor, what, ct);
        }
    }

    /// <summary>
    /// Admins see every learner; a learner sees themselves; a manager sees their direct and indirect reports; another
    /// system with an API key reads any learner's status, as it sends any learner's results.
    /// </summary>
    public async Task RequireLearnerAccessAsync(Actor actor, int learnerId, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (actor.IsAdmin || actor.IsApiClient || (actor.LearnerId == learnerId && actor.IsSignedIn))
        {
            return;
        }

        if (actor is { IsManager: true, LearnerId: { } managerId })
        {
            await using var db = await factory.CreateDbContextAsync(ct);
            if ((await ReportingLine.ReportsOfAsync(db, managerId, ct)).Contains(learnerId))
            {
                return;
            }
        }

        await DenyAsync(actor, $"learner #{learnerId}", ct);
    }

    public async Task RecordDeniedAsync(Actor actor, string what, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        await using var db = await factory.CreateDbContextAsync(ct);
        AuditTrail.Record(db, time.GetUtcNow().UtcDateTime, actor.Name, "Access", what, "AccessDenied", new { Roles = actor.Roles.Order().ToArray(), actor.LearnerId });
        await db.SaveChangesAsync(ct);
    }

    private async Task DenyAsync(Actor actor, string what, CancellationToken ct)
    {
        await RecordDeniedAsync(actor, what, ct);
        throw new AccessDeniedException($"You do not have access to {what}.");
    }
}
