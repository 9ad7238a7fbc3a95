using Certifications.Core.Auditing;
using Certifications.Core.Catalog;
using Certifications.Core.Persistence;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Certifications.Core.Security;

/// <summary>A demo account the sign-in page lists in demo mode.</summary>
public sealed record DemoAccount(string Role, string DisplayName, string Email);

/// <summary>Roles, demo accounts, and the first administrator of a new installation.</summary>
public sealed class AccountSetup(IDbContextFactory<CertificationsDbContext> factory, TimeProvider time)
{
    public const string DemoLearnerEmail = "bob@example.com";

    public async Task EnsureRolesAsync(CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var existing = await db.Roles.Select(r => r.Name).OfType<string>().ToListAsync(ct);
        foreach (var role in PortalRoles.All.Except(existing))
        {
            db.Roles.Add(new IdentityRole(role) { NormalizedName = role.ToUpperInvariant() });
        }

        await db.SaveChangesAsync(ct);
    }

    /// <summary>
    /// Gives every learner without an account one, all with the demo password, in one statement batch. The password is
    /// hashed once: hashing it for each of hundreds of learners would take minutes for no benefit in a demo.
    /// </summary>
    public async Task<int> CreateDemoAccountsAsync(string password, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(password);
        await using var db = await factory.CreateDbContextAsync(ct);
        var roleIds = await db.Roles.ToDictionaryAsync(r => r.Name!, r => r.Id, ct);
        var learners = await db.Learners.AsNoTracking()
            .Where(l => !db.Users.Any(u => u.LearnerId == l.Id))
            .OrderBy(l => l.Id)
            .Select(l => new { l.Id, l.Name, l.Email, l.ManagerId, HasReports = db.Learners.Any(r => r.ManagerId == l.Id) })
            .ToListAsync(ct);
        if (learners.Count == 0)
        {
            return 0;
        }

        var adminId = learners.Where(l => l.ManagerId == null && l.HasReports).Select(l => (int?)l.Id).FirstOrDefault() ?? learners[0].Id;
        var hash = new PasswordHasher<PortalUser>().HashPassword(new PortalUser { DisplayName = "demo" }, password);
        foreach (var learner in learners)
        {
            var user = NewUser(learner.Name, learner.Email, learner.Id);
            user.PasswordHash = hash;
            user.EmailConfirmed = true;
            db.Users.Add(user);
            AddRole(db, user, roleIds[PortalRoles.Learner]);
            if (learner.HasReports)
            {
                AddRole(db, user, roleIds[PortalRoles.Manager]);
            }

            if (learner.Id == adminId)
            {
                AddRole(db, user, roleIds[PortalRoles.Admin]);
            }
        }

        AuditTrail.Record(db, time.GetUtcNow().UtcDateTime, Actor.System.Name, "User", "demo", "DemoAccountsCreated", new { Count = learners.Count });
        await db.SaveChangesAsync(ct);
        return learners.Count;
    }

    /// <summary>One account per role for the sign-in page: the administrator, the manager with most reports, and Bob.</summary>
    public async Task<IReadOnlyList<DemoAccount>> DemoAccountsAsync(CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var admin = await UsersInRole(db, PortalRoles.Admin).OrderBy(u => u.Id).FirstOrDefaultAsync(ct);
        var manager = await UsersInRole(db, PortalRoles.Manager)
            .Where(u => admin == null || u.Id != admin.Id)
            .OrderByDescending(u => db.Learners.Count(l => l.ManagerId == u.LearnerId)).ThenBy(u => u.Email)
            .FirstOrDefaultAsync(ct);
        var bob = DemoLearnerEmail.ToUpperInvariant();
        var learner = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.NormalizedEmail == bob, ct);
        var accounts = new List<DemoAccount>();
        if (admin is not null)
        {
            accounts.Add(new DemoAccount(PortalRoles.Admin, admin.DisplayName, admin.Email!));
        }

        if (manager is not null)
        {
            accounts.Add(new DemoAccount(PortalRoles.Manager, manager.DisplayName, manager.Email!));
        }

        if (learner is not null)
        {
            accounts.Add(new DemoAccount(PortalRoles.Learner, learner.DisplayName, learner.Email!));
        }

        return accounts;
    }

    /// <summary>
    /// A new installation has nobody to sign in as: when no administrator exists and both settings are given, create one
    /// (with a learner record of its own). Nothing is created otherwise; there is no default password.
    /// </summary>
    public async Task<bool> BootstrapAdministratorAsync(string? email, string? password, UserManager<PortalUser> users, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(users);
        if (string.IsNullOrWhiteSpace(email) || string.IsNullOrWhiteSpace(password))
        {
            return false;
        }

        await using var db = await factory.CreateDbContextAsync(ct);
        if (await UsersInRole(db, PortalRoles.Admin).AnyAsync(ct))
        {
            return false;
        }

        var normalized = email.Trim().ToUpperInvariant();
        var learner = await db.Learners.SingleOrDefaultAsync(l => l.NormalizedEmail == normalized, ct);
        if (learner is null)
        {
            learner = new Learner { Name = email.Trim(), Email = email.Trim(), NormalizedEmail = normalized };
            db.Learners.Add(learner);
            await db.SaveChangesAsync(ct);
        }

        var user = NewUser(learner.Name, learner.Email, learner.Id);
        var created = await users.CreateAsync(user, password);
        if (!created.Succeeded)
        {
            throw new InvalidOperationException("The first administrator could not be created: " + string.Join(" ", created.Errors.Select(e => e.Description)));
        }

        await users.AddToRolesAsync(user, [PortalRoles.Admin, PortalRoles.Learner]);
        AuditTrail.Record(db, time.GetUtcNow().UtcDateTime, Actor.System.Name, "User", user.Id, "AdministratorBootstrapped", new { user.Email });
        await db.SaveChangesAsync(ct);
        return true;
    }

    internal static PortalUser NewUser(string name, string email, int? learnerId) => new()
    {
        UserName = email,
        NormalizedUserName = email.ToUpperInvariant(),
        Email = email,
        NormalizedEmail = email.ToUpperInvariant(),
        DisplayName = name,
        LearnerId = learnerId,
        SecurityStamp = Guid.NewGuid().ToString("N"),
        ConcurrencyStamp = Guid.NewGuid().ToString(),
        LockoutEnabled = true,
    };

    private static void AddRole(CertificationsDbContext db, PortalUser user, string roleId) =>
        db.UserRoles.Add(new IdentityUserRole<string> { UserId = user.Id, RoleId = roleId });

    private static IQueryable<PortalUser> UsersInRole(CertificationsDbContext db, string role) =>
        db.Users.AsNoTracking().Where(u => db.UserRoles.Any(ur => ur.UserId == u.Id && db.Roles.Any(r => r.Id == ur.RoleId && r.Name == role)));
}
