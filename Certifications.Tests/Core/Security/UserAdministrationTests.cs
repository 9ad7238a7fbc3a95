using Certifications.Core.Auditing;
using Certifications.Core.Certifications;
using Certifications.Core.Security;
using Certifications.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Certifications.Tests.Core.Security;

public sealed class UserAdministrationTests : IAsyncLifetime
{
    private static readonly Actor Alice = Actor.Admin("alice@example.com");
    private static readonly Actor Learner = new("lena@example.com", null, new HashSet<string> { PortalRoles.Learner });
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));
    private TestDatabase database = null!;
    private ServiceProvider services = null!;
    private AsyncServiceScope scope;
    private UserAdministration administration = null!;

    public async Task InitializeAsync()
    {
        database = await TestDatabase.CreateAsync();
        services = new ServiceCollection().AddSingleton(database.Factory).AddTestIdentity().BuildServiceProvider();
        scope = services.CreateAsyncScope();
        administration = new UserAdministration(
            scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>(), database.Factory, new AccessGuard(database.Factory, time), time);
        await new AccountSetup(database.Factory, time).EnsureRolesAsync();
    }

    public async Task DisposeAsync()
    {
        await scope.DisposeAsync();
        await services.DisposeAsync();
        await database.DisposeAsync();
    }

    private static NewUserRequest Request(string email, string name, params string[] roles) =>
        new() { Email = email, DisplayName = name, Roles = [PortalRoles.Learner, .. roles] };

    /// <summary>Alice, the acting admin, and another account; set up by the system.</summary>
    private async Task<(string Alice, string Other)> TwoAccountsAsync(params string[] otherRoles)
    {
        var alice = await administration.CreateAsync(Actor.System, Request("alice@example.com", "Alice", PortalRoles.Admin));
        var other = await administration.CreateAsync(Actor.System, Request("bruno@example.com", "Bruno", otherRoles));
        return (alice.UserId!, other.UserId!);
    }

    /// <summary>A fresh UserManager, as a later request would have: nothing cached from earlier steps.</summary>
    private async Task<T> WithUsersAsync<T>(Func<UserManager<PortalUser>, Task<T>> use)
    {
        await using var fresh = services.CreateAsyncScope();
        return await use(fresh.ServiceProvider.GetRequiredService<UserManager<PortalUser>>());
    }

    private async Task<PortalUser> LoadAsync(string id)
    {
        await using var db = database.CreateContext();
        return await db.Users.AsNoTracking().SingleAsync(u => u.Id == id);
    }

    private async Task<List<AuditEntry>> AuditAsync(string action)
    {
        await using var db = database.CreateContext();
        return await db.AuditEntries.AsNoTracking().Where(e => e.Action == action).OrderBy(e => e.Id).ToListAsync();
    }

    [Fact]
    public async Task ANewAccountGetsATemporaryPasswordThatMeetsThePolicyAndSignsIn()
    {
        var outcome = await administration.CreateAsync(Alice, Request(" Carla@Example.com ", " Carla Diaz ", PortalRoles.Manager));

        Assert.True(outcome.Succeeded, outcome.Message);
        var password = outcome.Password!.Value;
        Assert.True(password.Length >= 12);
        Assert.True(password.Distinct().Count() >= 4);
        Assert.DoesNotContain(password, outcome.ToString(), StringComparison.Ordinal);
        var (signsIn, roles, claims) = await WithUsersAsync(async users =>
        {
            var user = (await users.FindByEmailAsync("carla@example.com"))!;
            return (await users.CheckPasswordAsync(user, password), await users.GetRolesAsync(user), await users.GetClaimsAsync(user));
        });
        Assert.True(signsIn);
        Assert.Equal([PortalRoles.Learner, PortalRoles.Manager], roles.Order());
        Assert.Contains(claims, c => c.Type == UserAdministration.MustChangePasswordClaim);
        var created = Assert.Single(await AuditAsync("Created"));
        Assert.Equal(("alice@example.com", outcome.UserId), (created.Actor, created.EntityId));
        Assert.Contains("Manager", created.Changes, StringComparison.Ordinal);
        Assert.DoesNotContain(password, created.Changes, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ANewAccountIsLinkedToTheLearnerWithTheSameEmail()
    {
        await using (var db = database.CreateContext())
        {
            await TestCatalog.AddLearnerAsync(db, "Bob Stone");
        }

        var outcome = await administration.CreateAsync(Alice, Request("BOB.STONE@example.com", "Bob"));

        await using var check = database.CreateContext();
        var learner = await check.Learners.SingleAsync();
        Assert.Equal(learner.Id, (await LoadAsync(outcome.UserId!)).LearnerId);
        Assert.Equal("Bob Stone", learner.Name);
    }

    [Fact]
    public async Task ANewAccountWithoutALearnerRecordGetsOne()
    {
        var outcome = await administration.CreateAsync(Alice, Request("dana@example.com", "Dana Fox"));

        await using var db = database.CreateContext();
        var learner = await db.Learners.SingleAsync();
        Assert.Equal(("Dana Fox", "dana@example.com", "DANA@EXAMPLE.COM"), (learner.Name, learner.Email, learner.NormalizedEmail));
        Assert.Equal(learner.Id, (await LoadAsync(outcome.UserId!)).LearnerId);
        var page = await administration.ListAsync(Alice, "dana", 0, 25);
        Assert.Equal("Dana Fox", Assert.Single(page.Items).LearnerName);
    }

    [Fact]
    public async Task AnInvalidRequestSavesNothingAndNamesTheFieldsAtFault()
    {
        var request = new NewUserRequest { Email = "not-an-email", DisplayName = "  ", Roles = [PortalRoles.Admin] };

        var outcome = await administration.CreateAsync(Alice, request);

        Assert.Equal(FailureKind.Invalid, outcome.Failure);
        Assert.Null(outcome.Password);
        Assert.Equal(
            [nameof(NewUserRequest.DisplayName), nameof(NewUserRequest.Email), nameof(NewUserRequest.Roles)],
            outcome.Errors.Select(e => e.Field).Order());
        Assert.Contains(outcome.Errors, e => e.Message.StartsWith("Enter a valid email address", StringComparison.Ordinal));
        Assert.Contains(outcome.Errors, e => e.Message.Contains("Learner role", StringComparison.Ordinal));
        await using var db = database.CreateContext();
        Assert.Empty(await db.Users.ToListAsync());
        Assert.Empty(await db.Learners.ToListAsync());
        Assert.Empty(await db.AuditEntries.ToListAsync());
    }

    [Fact]
    public async Task AnEmailThatAlreadySignsInIsRefusedOnTheEmailField()
    {
        await administration.CreateAsync(Alice, Request("erin@example.com", "Erin"));

        var outcome = await administration.CreateAsync(Alice, Request("ERIN@example.com", "Erin again"));

        var error = Assert.Single(outcome.Errors);
        Assert.Equal((nameof(NewUserRequest.Email), "An account already signs in with ERIN@example.com."), (error.Field, error.Message));
        await using var db = database.CreateContext();
        Assert.Equal(1, await db.Users.CountAsync());
    }

    [Fact]
    public async Task ANonAdminIsRefusedEveryActionAndEachAttemptIsAudited()
    {
        var (_, bruno) = await TwoAccountsAsync();
        var before = await LoadAsync(bruno);

        await Assert.ThrowsAsync<AccessDeniedException>(() => administration.ListAsync(Learner, null, 0, 25));
        await Assert.ThrowsAsync<AccessDeniedException>(() => administration.CreateAsync(Learner, Request("mallory@example.com", "Mallory", PortalRoles.Admin)));
        await Assert.ThrowsAsync<AccessDeniedException>(() => administration.SetRolesAsync(Learner, bruno, [PortalRoles.Admin, PortalRoles.Learner]));
        await Assert.ThrowsAsync<AccessDeniedException>(() => administration.DisableAsync(Learner, bruno));
        await Assert.ThrowsAsync<AccessDeniedException>(() => administration.ResetPasswordAsync(Learner, bruno));

        var after = await LoadAsync(bruno);
        Assert.Equal((before.IsDisabled, before.SecurityStamp, before.PasswordHash), (after.IsDisabled, after.SecurityStamp, after.PasswordHash));
        Assert.False(await WithUsersAsync(users => users.IsInRoleAsync(after, PortalRoles.Admin)));
        var denied = await AuditAsync("AccessDenied");
        Assert.Equal(5, denied.Count);
        Assert.All(denied, e => Assert.Equal("lena@example.com", e.Actor));
        await using var db = database.CreateContext();
        Assert.Equal(2, await db.Users.CountAsync());
    }

    [Fact]
    public async Task DisablingSetsIsDisabledAndRenewsTheSecurityStampSoOpenSessionsEnd()
    {
        var (_, bruno) = await TwoAccountsAsync();
        var stamp = (await LoadAsync(bruno)).SecurityStamp;

        var outcome = await administration.DisableAsync(Alice, bruno);

        Assert.True(outcome.Succeeded, outcome.Message);
        var disabled = await LoadAsync(bruno);
        Assert.True(disabled.IsDisabled);
        Assert.NotEqual(stamp, disabled.SecurityStamp);
        Assert.True(Assert.Single((await administration.ListAsync(Alice, "bruno", 0, 25)).Items).IsDisabled);
        var audit = Assert.Single(await AuditAsync("Disabled"));
        Assert.Equal(("alice@example.com", bruno), (audit.Actor, audit.EntityId));

        Assert.True((await administration.EnableAsync(Alice, bruno)).Succeeded);
        Assert.False((await LoadAsync(bruno)).IsDisabled);
        Assert.Single(await AuditAsync("Enabled"));
    }

    [Fact]
    public async Task AnAdminCannotDisableTheirOwnAccount()
    {
        var (alice, _) = await TwoAccountsAsync(PortalRoles.Admin);

        var outcome = await administration.DisableAsync(Alice, alice);

        Assert.Equal(FailureKind.NotAllowed, outcome.Failure);
        Assert.Equal("You cannot disable your own account: another administrator must do it.", outcome.Message);
        Assert.False((await LoadAsync(alice)).IsDisabled);
        Assert.Empty(await AuditAsync("Disabled"));
    }

    [Fact]
    public async Task AnAdminCannotRemoveTheirOwnAdminRole()
    {
        var (alice, _) = await TwoAccountsAsync(PortalRoles.Admin);

        var outcome = await administration.SetRolesAsync(Alice, alice, [PortalRoles.Learner]);

        Assert.Equal(FailureKind.NotAllowed, outcome.Failure);
        Assert.StartsWith("You cannot remove your own Admin role", outcome.Message, StringComparison.Ordinal);
        Assert.True(await WithUsersAsync(async users => await users.IsInRoleAsync((await users.FindByIdAsync(alice))!, PortalRoles.Admin)));
    }

    [Fact]
    public async Task TheLastEnabledAdminCanBeNeitherDisabledNorDemoted()
    {
        var (alice, bruno) = await TwoAccountsAsync(PortalRoles.Admin);
        Assert.True((await administration.DisableAsync(Actor.System, bruno)).Succeeded);

        // Bruno is an admin still, but a disabled one: Alice is the last who can manage accounts.
        var disable = await administration.DisableAsync(Actor.System, alice);
        var demote = await administration.SetRolesAsync(Actor.System, alice, [PortalRoles.Learner, PortalRoles.Manager]);

        Assert.Equal(FailureKind.NotAllowed, disable.Failure);
        Assert.Equal(
            "Alice is the last enabled administrator and cannot be disabled: make someone else an administrator first, or nobody could manage accounts any more.",
            disable.Message);
        Assert.Equal(FailureKind.NotAllowed, demote.Failure);
        Assert.Contains("last enabled administrator and cannot lose the Admin role", demote.Message, StringComparison.Ordinal);
        Assert.False((await LoadAsync(alice)).IsDisabled);
        Assert.True(await WithUsersAsync(async users => await users.IsInRoleAsync((await users.FindByIdAsync(alice))!, PortalRoles.Admin)));

        Assert.True((await administration.EnableAsync(Actor.System, bruno)).Succeeded);
        Assert.True((await administration.DisableAsync(Actor.System, alice)).Succeeded);
    }

    [Fact]
    public async Task ChangingRolesIsAuditedFromAndToAndEndsOpenSessions()
    {
        var (_, bruno) = await TwoAccountsAsync(PortalRoles.Manager);
        var stamp = (await LoadAsync(bruno)).SecurityStamp;

        var outcome = await administration.SetRolesAsync(Alice, bruno, [PortalRoles.Admin, PortalRoles.Learner]);

        Assert.True(outcome.Succeeded, outcome.Message);
        Assert.NotEqual(stamp, (await LoadAsync(bruno)).SecurityStamp);
        Assert.Equal([PortalRoles.Admin, PortalRoles.Learner], Assert.Single((await administration.ListAsync(Alice, "Bruno", 0, 25)).Items).Roles);
        var audit = Assert.Single(await AuditAsync("RolesChanged"));
        Assert.Equal(("alice@example.com", bruno), (audit.Actor, audit.EntityId));
        Assert.Equal("""{"Roles":{"From":["Manager","Learner"],"To":["Admin","Learner"]}}""", audit.Changes);

        Assert.True((await administration.SetRolesAsync(Alice, bruno, [PortalRoles.Learner, PortalRoles.Admin])).Succeeded);
        Assert.Single(await AuditAsync("RolesChanged"));
    }

    [Fact]
    public async Task RolesWithoutLearnerOrUnknownToThePortalAreRefused()
    {
        var (_, bruno) = await TwoAccountsAsync();

        var withoutLearner = await administration.SetRolesAsync(Alice, bruno, [PortalRoles.Manager]);
        var unknown = await administration.SetRolesAsync(Alice, bruno, [PortalRoles.Learner, "Owner"]);

        Assert.Equal((FailureKind.Invalid, nameof(NewUserRequest.Roles)), (withoutLearner.Failure, withoutLearner.Errors[0].Field));
        Assert.Equal("Unknown role Owner: choose from Admin, Manager, Learner.", unknown.Message);
        Assert.Empty(await AuditAsync("RolesChanged"));
    }

    [Fact]
    public async Task ResettingAPasswordClearsTheLockoutAndOnlyTheNewPasswordSignsIn()
    {
        var (_, bruno) = await TwoAccountsAsync();
        var first = (await administration.ResetPasswordAsync(Alice, bruno)).Password!.Value;
        await using (var db = database.CreateContext())
        {
            var locked = await db.Users.SingleAsync(u => u.Id == bruno);
            locked.LockoutEnd = time.GetUtcNow().AddMinutes(15);
            locked.AccessFailedCount = 5;
            await db.SaveChangesAsync();
        }

        Assert.NotNull(Assert.Single((await administration.ListAsync(Alice, "bruno", 0, 25)).Items).LockedOutUntil);
        var stamp = (await LoadAsync(bruno)).SecurityStamp;

        var outcome = await administration.ResetPasswordAsync(Alice, bruno);

        Assert.True(outcome.Succeeded, outcome.Message);
        var second = outcome.Password!.Value;
        Assert.NotEqual(first, second);
        var user = await LoadAsync(bruno);
        Assert.Equal((null, 0), (user.LockoutEnd, user.AccessFailedCount));
        Assert.NotEqual(stamp, user.SecurityStamp);
        Assert.True(await WithUsersAsync(users => users.CheckPasswordAsync(user, second)));
        Assert.False(await WithUsersAsync(users => users.CheckPasswordAsync(user, first)));
        var row = Assert.Single((await administration.ListAsync(Alice, "bruno", 0, 25)).Items);
        Assert.Null(row.LockedOutUntil);
        Assert.True(row.MustChangePassword);
        var audits = await AuditAsync("PasswordReset");
        Assert.Equal(2, audits.Count);
        Assert.Contains("\"FailedAttemptsCleared\":5", audits[1].Changes, StringComparison.Ordinal);
        Assert.All(audits, a => Assert.DoesNotContain(second, a.Changes, StringComparison.Ordinal));
    }

    [Fact]
    public async Task TheListSearchesNameAndEmailAndPagesWithRolesAndLearners()
    {
        await TwoAccountsAsync(PortalRoles.Manager);
        await administration.CreateAsync(Actor.System, Request("zoe@corp.example", "Zoe Brunner"));

        var byName = await administration.ListAsync(Alice, "brun", 0, 25);
        var byEmail = await administration.ListAsync(Alice, "corp.example", 0, 25);
        var secondPage = await administration.ListAsync(Alice, null, 1, 2);

        Assert.Equal(["Bruno", "Zoe Brunner"], byName.Items.Select(r => r.DisplayName));
        Assert.Equal([PortalRoles.Manager, PortalRoles.Learner], byName.Items[0].Roles);
        Assert.Equal("Bruno", byName.Items[0].LearnerName);
        Assert.Equal("zoe@corp.example", Assert.Single(byEmail.Items).Email);
        Assert.Equal((3, "Zoe Brunner"), (secondPage.Total, Assert.Single(secondPage.Items).DisplayName));
    }

    [Fact]
    public async Task InThePortalTheServiceResolvesAndThePortalsOwnPolicyAcceptsItsPasswords()
    {
        await using var portal = new PortalFactory(seedDemoData: false);
        await using var portalScope = portal.Services.CreateAsyncScope();
        var users = portalScope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();

        var outcome = await portalScope.ServiceProvider.GetRequiredService<UserAdministration>()
            .CreateAsync(Actor.System, Request("paula@example.com", "Paula"));

        Assert.True(outcome.Succeeded, outcome.Message);
        Assert.True(await users.CheckPasswordAsync((await users.FindByEmailAsync("paula@example.com"))!, outcome.Password!.Value));
        var policyOfTheseTests = new IdentityOptions();
        TestIdentity.PortalPolicy(policyOfTheseTests);
        Assert.Equivalent(policyOfTheseTests.Password, users.Options.Password, strict: true);
        Assert.Equivalent(policyOfTheseTests.Lockout, users.Options.Lockout, strict: true);
    }

    [Fact]
    public async Task UnderAStricterPolicyTemporaryPasswordsStillPassEveryRule()
    {
        await using var strict = new ServiceCollection().AddSingleton(database.Factory).AddTestIdentity()
            .Configure<IdentityOptions>(o =>
            {
                o.Password.RequiredLength = 24;
                o.Password.RequiredUniqueChars = 20;
                o.Password.RequireDigit = o.Password.RequireLowercase = o.Password.RequireUppercase = o.Password.RequireNonAlphanumeric = true;
            })
            .BuildServiceProvider();
        await using var strictScope = strict.CreateAsyncScope();
        var users = strictScope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        var someone = new PortalUser { DisplayName = "Someone" };

        var passwords = Enumerable.Range(0, 50).Select(_ => TemporaryPasswords.Generate(users.Options.Password)).ToList();

        foreach (var password in passwords)
        {
            foreach (var validator in users.PasswordValidators)
            {
                Assert.True((await validator.ValidateAsync(users, someone, password)).Succeeded, password);
            }
        }

        Assert.Equal(passwords.Count, passwords.Distinct().Count());
        var created = await new UserAdministration(users, database.Factory, new AccessGuard(database.Factory, time), time)
            .CreateAsync(Alice, Request("strict@example.com", "Strict"));
        Assert.True(created.Succeeded, created.Message);
        Assert.True(created.Password!.Value.Length >= 24);
    }
}
