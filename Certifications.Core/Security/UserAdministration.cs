using Certifications.Core.Auditing;
using Certifications.Core.Catalog;
using Certifications.Core.Certifications;
using Certifications.Core.Persistence;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Certifications.Core.Security;

/// <summary>
/// The admin's user accounts: list, create, roles, disable and enable, password resets, each checked and audited.
/// Writes go through a context of their own, one transaction per action, rather than through UserManager's: a circuit
/// keeps its UserManager (and its context) for hours, and no action may be half-saved. UserManager supplies the
/// password policy, the hasher and Identity's own account checks.
/// </summary>
public sealed class UserAdministration(
    UserManager<PortalUser> users,
    IDbContextFactory<CertificationsDbContext> factory,
    AccessGuard guard,
    TimeProvider time)
{
    public const int MaxPageSize = 200;

    /// <summary>A user claim on accounts holding a temporary password: sign-in can read it to ask for a new one.</summary>
    public const string MustChangePasswordClaim = "certifications:must-change-password";

    private const string EntityType = "User";
    private const string What = "user accounts";

    /// <summary>One page of accounts, searched by name or email: one query for the page and one for its roles.</summary>
    public async Task<Page<UserRow>> ListAsync(Actor actor, string? search, int page, int pageSize, CancellationToken ct = default)
    {
        await guard.RequireAdminAsync(actor, What, ct);
        await using var db = await factory.CreateDbContextAsync(ct);
        var query = db.Users.AsNoTracking();
        if (SearchPattern.Contains(search) is { } pattern)
        {
            query = query.Where(u => SearchPattern.Matches(u.DisplayName, pattern) || SearchPattern.Matches(u.Email!, pattern));
        }

        var accounts = await query.OrderBy(u => u.DisplayName).ThenBy(u => u.Id).ToPageAsync(page, pageSize, MaxPageSize, u => new
        {
            u.Id,
            u.DisplayName,
            u.Email,
            u.LearnerId,
            LearnerName = u.Learner == null ? null : u.Learner.Name,
            u.IsDisabled,
            u.LockoutEnd,
            MustChange = db.UserClaims.Any(c => c.UserId == u.Id && c.ClaimType == MustChangePasswordClaim),
        }, ct);
        var ids = accounts.Items.Select(a => a.Id).ToList();
        var roles = (await db.UserRoles.AsNoTracking()
                .Where(ur => ids.Contains(ur.UserId))
                .Join(db.Roles, ur => ur.RoleId, r => r.Id, (ur, r) => new { ur.UserId, r.Name })
                .ToListAsync(ct))
            .ToLookup(r => r.UserId, r => r.Name ?? "");
        var now = time.GetUtcNow();
        return new Page<UserRow>(
            [.. accounts.Items.Select(a => new UserRow(
                a.Id, a.DisplayName, a.Email ?? "", Ordered(roles[a.Id]), a.LearnerId, a.LearnerName, a.IsDisabled,
                a.LockoutEnd > now ? a.LockoutEnd.Value.UtcDateTime : null, a.MustChange))],
            accounts.Total,
            accounts.PageIndex,
            accounts.PageSize);
    }

    /// <summary>
    /// Creates the account, linked to the learner with the same email (created when there is none), with a temporary
    /// password returned once and flagged to be changed. Nothing is saved when anything is wrong.
    /// </summary>
    public async Task<UserOutcome> CreateAsync(Actor actor, NewUserRequest request, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        await guard.RequireAdminAsync(actor, "creating user accounts", ct);
        var email = (request.Email ?? "").Trim();
        var normalized = NewUserRequest.NormalizeEmail(email);
        await using var db = await factory.CreateDbContextAsync(ct);
        var taken = await db.Users.AnyAsync(u => u.NormalizedEmail == normalized || u.NormalizedUserName == normalized, ct);
        var validation = await new NewUserValidator(taken ? new HashSet<string> { normalized } : []).ValidateAsync(request, ct);
        if (!validation.IsValid)
        {
            return UserOutcome.Invalid([.. validation.Errors.Select(e => new FieldError(e.PropertyName, e.ErrorMessage))]);
        }

        var learner = await db.Learners.SingleOrDefaultAsync(l => l.NormalizedEmail == normalized, ct);
        if (learner is not null && await db.Users.AnyAsync(u => u.LearnerId == learner.Id, ct))
        {
            return UserOutcome.Fail(FailureKind.Invalid, $"The learner record of {learner.Name} ({learner.Email}) already belongs to another account.", nameof(NewUserRequest.Email));
        }

        var user = AccountSetup.NewUser(request.DisplayName.Trim(), email, learner?.Id);
        if (await IdentityProblemsAsync(user) is { Count: > 0 } problems)
        {
            return UserOutcome.Invalid(problems);
        }

        var password = await NewPasswordAsync(user);
        user.PasswordHash = users.PasswordHasher.HashPassword(user, password);
        var learnerCreated = learner is null;
        if (learner is null)
        {
            learner = new Learner { Name = user.DisplayName, Email = email, NormalizedEmail = normalized };
            db.Learners.Add(learner);
            user.Learner = learner;
        }

        var roles = Ordered(request.Roles);
        var roleIds = await RoleIdsAsync(db, ct);
        db.Users.Add(user);
        db.UserRoles.AddRange(roles.Select(r => new IdentityUserRole<string> { UserId = user.Id, RoleId = roleIds[r] }));
        db.UserClaims.Add(MustChangeClaim(user.Id));
        AuditTrail.Record(db, Now(), actor.Name, EntityType, user.Id, "Created", new
        {
            user.Email,
            user.DisplayName,
            Roles = roles,
            Learner = learner.Email,
            LearnerCreated = learnerCreated,
            MustChangePassword = true,
        });
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Another admin created the same account, or its learner, a moment ago: the unique indexes decided.
            await using var check = await factory.CreateDbContextAsync(ct);
            var collided = await check.Users.AnyAsync(u => u.NormalizedEmail == normalized || u.Learner!.NormalizedEmail == normalized, ct)
                || (learnerCreated && await check.Learners.AnyAsync(l => l.NormalizedEmail == normalized, ct));
            if (collided)
            {
                return UserOutcome.Fail(FailureKind.Invalid, $"An account was created for {email} a moment ago, by someone else. Reload the list.", nameof(NewUserRequest.Email));
            }

            throw;
        }

        return UserOutcome.Done(user.Id, new TemporaryPassword(password));
    }

    /// <summary>Gives the account exactly these roles (Learner always among them). Open sessions sign in again to get them.</summary>
    public async Task<UserOutcome> SetRolesAsync(Actor actor, string userId, IReadOnlyCollection<string> roles, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(roles);
        await guard.RequireAdminAsync(actor, "changing roles", ct);
        if (NewUserValidator.RoleSetProblem(roles) is { } problem)
        {
            return UserOutcome.Fail(FailureKind.Invalid, problem, nameof(NewUserRequest.Roles));
        }

        await using var db = await factory.CreateDbContextAsync(ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        if (await db.Users.SingleOrDefaultAsync(u => u.Id == userId, ct) is not { } user)
        {
            return NotFound();
        }

        var roleIds = await RoleIdsAsync(db, ct);
        var roleNames = roleIds.ToDictionary(r => r.Value, r => r.Key);
        var held = await db.UserRoles.Where(ur => ur.UserId == userId).ToListAsync(ct);
        var from = Ordered(held.Select(ur => roleNames.GetValueOrDefault(ur.RoleId, "")));
        var to = Ordered(roles);
        if (from.SequenceEqual(to))
        {
            return UserOutcome.Done(userId);
        }

        if (from.Contains(PortalRoles.Admin) && !to.Contains(PortalRoles.Admin))
        {
            if (IsSelf(actor, user))
            {
                return UserOutcome.Fail(FailureKind.NotAllowed, "You cannot remove your own Admin role: another administrator must do it, so the portal always keeps someone who can manage accounts.");
            }

            if (!user.IsDisabled && await EnabledAdministratorsAsync(db, roleIds, ct) <= 1)
            {
                return UserOutcome.Fail(FailureKind.NotAllowed, LastAdministrator(user, "lose the Admin role"));
            }
        }

        db.UserRoles.RemoveRange(held.Where(ur => !to.Any(r => roleIds[r] == ur.RoleId)));
        db.UserRoles.AddRange(to.Where(r => !from.Contains(r)).Select(r => new IdentityUserRole<string> { UserId = userId, RoleId = roleIds[r] }));
        RenewStamps(user);
        AuditTrail.Record(db, Now(), actor.Name, EntityType, userId, "RolesChanged", new { Roles = new { From = from, To = to } });
        return await SaveAsync(db, transaction, userId, ct);
    }

    /// <summary>The account can no longer sign in, and its open sessions lose access at their next revalidation.</summary>
    public async Task<UserOutcome> DisableAsync(Actor actor, string userId, CancellationToken ct = default)
    {
        await guard.RequireAdminAsync(actor, "disabling accounts", ct);
        await using var db = await factory.CreateDbContextAsync(ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        if (await db.Users.SingleOrDefaultAsync(u => u.Id == userId, ct) is not { } user)
        {
            return NotFound();
        }

        if (user.IsDisabled)
        {
            return UserOutcome.Done(userId);
        }

        if (IsSelf(actor, user))
        {
            return UserOutcome.Fail(FailureKind.NotAllowed, "You cannot disable your own account: another administrator must do it.");
        }

        var roleIds = await RoleIdsAsync(db, ct);
        var adminRoleId = roleIds[PortalRoles.Admin];
        var isAdministrator = await db.UserRoles.AnyAsync(ur => ur.UserId == userId && ur.RoleId == adminRoleId, ct);
        if (isAdministrator && await EnabledAdministratorsAsync(db, roleIds, ct) <= 1)
        {
            return UserOutcome.Fail(FailureKind.NotAllowed, LastAdministrator(user, "be disabled"));
        }

        user.IsDisabled = true;
        RenewStamps(user);
        AuditTrail.Record(db, Now(), actor.Name, EntityType, userId, "Disabled", new { IsDisabled = new { From = false, To = true } });
        return await SaveAsync(db, transaction, userId, ct);
    }

    public async Task<UserOutcome> EnableAsync(Actor actor, string userId, CancellationToken ct = default)
    {
        await guard.RequireAdminAsync(actor, "enabling accounts", ct);
        await using var db = await factory.CreateDbContextAsync(ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        if (await db.Users.SingleOrDefaultAsync(u => u.Id == userId, ct) is not { } user)
        {
            return NotFound();
        }

        if (!user.IsDisabled)
        {
            return UserOutcome.Done(userId);
        }

        user.IsDisabled = false;
        RenewStamps(user);
        AuditTrail.Record(db, Now(), actor.Name, EntityType, userId, "Enabled", new { IsDisabled = new { From = true, To = false } });
        return await SaveAsync(db, transaction, userId, ct);
    }

    /// <summary>A new temporary password, returned once; the lockout is lifted and open sessions end.</summary>
    public async Task<UserOutcome> ResetPasswordAsync(Actor actor, string userId, CancellationToken ct = default)
    {
        await guard.RequireAdminAsync(actor, "resetting passwords", ct);
        await using var db = await factory.CreateDbContextAsync(ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        if (await db.Users.SingleOrDefaultAsync(u => u.Id == userId, ct) is not { } user)
        {
            return NotFound();
        }

        var password = await NewPasswordAsync(user);
        var lockedOutUntil = user.LockoutEnd > time.GetUtcNow() ? user.LockoutEnd.Value.UtcDateTime : (DateTime?)null;
        var failedAttempts = user.AccessFailedCount;
        user.PasswordHash = users.PasswordHasher.HashPassword(user, password);
        user.LockoutEnd = null;
        user.AccessFailedCount = 0;
        RenewStamps(user);
        if (!await db.UserClaims.AnyAsync(c => c.UserId == userId && c.ClaimType == MustChangePasswordClaim, ct))
        {
            db.UserClaims.Add(MustChangeClaim(userId));
        }

        AuditTrail.Record(db, Now(), actor.Name, EntityType, userId, "PasswordReset", new
        {
            LockedOutUntil = lockedOutUntil,
            FailedAttemptsCleared = failedAttempts,
            MustChangePassword = true,
        });
        var outcome = await SaveAsync(db, transaction, userId, ct);
        return outcome.Succeeded ? UserOutcome.Done(userId, new TemporaryPassword(password)) : outcome;
    }

    /// <summary>Identity's own account checks (allowed characters, unique name and email), as messages on the email field.</summary>
    private async Task<List<FieldError>> IdentityProblemsAsync(PortalUser user)
    {
        var problems = new List<FieldError>();
        foreach (var validator in users.UserValidators)
        {
            var result = await validator.ValidateAsync(users, user);
            problems.AddRange(result.Errors.Select(e => e.Code switch
            {
                nameof(IdentityErrorDescriber.InvalidUserName) => new FieldError(nameof(NewUserRequest.Email),
                    $"An account email can hold only letters, digits and {string.Concat(users.Options.User.AllowedUserNameCharacters.Where(c => !char.IsLetterOrDigit(c)))}."),
                nameof(IdentityErrorDescriber.DuplicateUserName) or nameof(IdentityErrorDescriber.DuplicateEmail) => new FieldError(nameof(NewUserRequest.Email),
                    $"An account already signs in with {user.Email}."),
                nameof(IdentityErrorDescriber.InvalidEmail) => new FieldError(nameof(NewUserRequest.Email), "Enter a valid email address, such as name@example.com."),
                _ => new FieldError("", e.Description),
            }));
        }

        return problems;
    }

    private async Task<string> NewPasswordAsync(PortalUser user)
    {
        var password = TemporaryPasswords.Generate(users.Options.Password);
        foreach (var validator in users.PasswordValidators)
        {
            var result = await validator.ValidateAsync(users, user, password);
            if (!result.Succeeded)
            {
                throw new InvalidOperationException("A generated temporary password does not meet the password policy: " + string.Join(" ", result.Errors.Select(e => e.Description)));
            }
        }

        return password;
    }

    private static async Task<UserOutcome> SaveAsync(CertificationsDbContext db, Microsoft.EntityFrameworkCore.Storage.IDbContextTransaction transaction, string userId, CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
            return UserOutcome.Done(userId);
        }
        catch (DbUpdateConcurrencyException)
        {
            return UserOutcome.Fail(FailureKind.Conflict, "This account was changed by someone else a moment ago. Nothing was saved: reload the list and try again.");
        }
    }

    /// <summary>
    /// Open sessions compare the security stamp at every revalidation, so a new one ends them; the concurrency stamp
    /// makes a simultaneous change to the same account fail instead of overwriting.
    /// </summary>
    private static void RenewStamps(PortalUser user)
    {
        user.SecurityStamp = Guid.NewGuid().ToString("N");
        user.ConcurrencyStamp = Guid.NewGuid().ToString();
    }

    private static bool IsSelf(Actor actor, PortalUser user) =>
        string.Equals(user.NormalizedEmail, actor.Name.ToUpperInvariant(), StringComparison.Ordinal)
        || (actor.LearnerId is { } learnerId && user.LearnerId == learnerId);

    private static Task<int> EnabledAdministratorsAsync(CertificationsDbContext db, Dictionary<string, string> roleIds, CancellationToken ct)
    {
        var adminRoleId = roleIds[PortalRoles.Admin];
        return db.Users.CountAsync(u => !u.IsDisabled && db.UserRoles.Any(ur => ur.UserId == u.Id && ur.RoleId == adminRoleId), ct);
    }

    private static string LastAdministrator(PortalUser user, string change) =>
        $"{user.DisplayName} is the last enabled administrator and cannot {change}: make someone else an administrator first, or nobody could manage accounts any more.";

    private static async Task<Dictionary<string, string>> RoleIdsAsync(CertificationsDbContext db, CancellationToken ct)
    {
        var roleIds = await db.Roles.AsNoTracking().Where(r => r.Name != null).ToDictionaryAsync(r => r.Name!, r => r.Id, ct);
        var missing = PortalRoles.All.Except(roleIds.Keys).ToList();
        return missing.Count == 0
            ? roleIds
            : throw new InvalidOperationException($"The roles {string.Join(", ", missing)} are missing: the portal creates them at start-up (AccountSetup.EnsureRolesAsync).");
    }

    /// <summary>Roles in the portal's order (Admin, Manager, Learner), whatever order they came in.</summary>
    private static List<string> Ordered(IEnumerable<string> roles)
    {
        var set = roles.ToHashSet();
        return [.. PortalRoles.All.Where(set.Contains)];
    }

    private static IdentityUserClaim<string> MustChangeClaim(string userId) =>
        new() { UserId = userId, ClaimType = MustChangePasswordClaim, ClaimValue = "true" };

    private static UserOutcome NotFound() =>
        UserOutcome.Fail(FailureKind.NotFound, "This account no longer exists. Reload the list.");

    private DateTime Now() => time.GetUtcNow().UtcDateTime;
}
