using Certifications.Core.Auditing;
using Certifications.Core.Catalog;
using Certifications.Core.Certificates;
using Certifications.Core.Certifications;
using Certifications.Core.Enrollment;
using Certifications.Core.Events;
using Certifications.Core.Progress;
using Certifications.Core.Security;
using Certifications.Core.Time;
using Certifications.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using UglyToad.PdfPig;

namespace Certifications.Tests.Core.Certificates;

/// <summary>The PDF certificate of a completed period, and what its verification code tells anyone who types it.</summary>
public sealed class CertificateServiceTests : IAsyncLifetime
{
    private static readonly Actor Admin = Actor.Admin("admin@example.com");
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));
    private readonly CommandLog commands = new();
    private TestDatabase database = null!;
    private CertificateService service = null!;
    private Learner bob = null!;
    private Learner carol = null!;
    private Actor bobActor = null!;
    private int safetyId;
    private int renewingId;

    public async Task InitializeAsync()
    {
        database = await TestDatabase.CreateAsync(commands);
        var guard = new AccessGuard(database.Factory, time);
        service = new CertificateService(database.Factory, guard, time, OrganisationCalendar.Utc, new CertificateSettings("Example Corp", "https://portal.example.com/"));
        var course = await TestCatalog.AddCourseAsync(database, "Safety 101");
        var certifications = TestServices.Certifications(database.Factory, time, new EventHub(), guard);
        safetyId = await PublishedAsync(certifications, "Workplace Safety", course.Id, renewalMonths: null);
        renewingId = await PublishedAsync(certifications, "Forklift Licence", course.Id, renewalMonths: 12);
        await using var db = database.CreateContext();
        bob = await TestCatalog.AddLearnerAsync(db, "Bob Safety");
        carol = await TestCatalog.AddLearnerAsync(db, "Carol Manager");
        bobActor = new Actor(bob.Email, bob.Id, new HashSet<string> { PortalRoles.Learner });
    }

    public async Task DisposeAsync() => await database.DisposeAsync();

    private static async Task<int> PublishedAsync(CertificationService certifications, string name, int courseId, int? renewalMonths)
    {
        var draft = new CertificationDraft { Name = name, EffectiveFrom = new DateOnly(2026, 1, 1), MinimumPassingGrade = 70, CourseIds = [courseId] };
        if (renewalMonths is { } months)
        {
            draft.RenewalRequired = true;
            draft.RenewalPeriodMonths = months;
        }

        var created = await certifications.CreateAsync(draft, Admin);
        Assert.True(created.Succeeded, string.Join("; ", created.Errors.Select(e => e.Message)));
        Assert.True((await certifications.PublishAsync(created.Id!.Value, created.Version!.Value, Admin)).Succeeded);
        return created.Id!.Value;
    }

    /// <summary>An assignment of the learner with the given periods: (completed at, expires at) each, null for an open one.</summary>
    private async Task<Assignment> AssignAsync(Learner learner, int certificationId, params (DateTime? CompletedAt, DateTime? ExpiresAt)[] periods)
    {
        await using var db = database.CreateContext();
        var assignment = new Assignment
        {
            CertificationId = certificationId,
            LearnerId = learner.Id,
            AssignedAt = new DateTime(2026, 1, 5, 0, 0, 0, DateTimeKind.Utc),
            StatusChangedAt = new DateTime(2026, 1, 5, 0, 0, 0, DateTimeKind.Utc),
            Periods = [.. periods.Select((p, i) => new Period
            {
                Number = i + 1,
                WindowStart = new DateTime(2026, 1, 5, 0, 0, 0, DateTimeKind.Utc),
                CompletedAt = p.CompletedAt,
                ExpiresAt = p.ExpiresAt,
            })],
        };
        db.Assignments.Add(assignment);
        await db.SaveChangesAsync();
        return assignment;
    }

    private static DateTime Utc(int year, int month, int day) => new(year, month, day, 10, 0, 0, DateTimeKind.Utc);

    private async Task<string> CodeOfAsync(int assignmentId, int number)
    {
        await using var db = database.CreateContext();
        return await db.Certificates.Where(c => c.Period!.AssignmentId == assignmentId && c.Period.Number == number).Select(c => c.Code).SingleAsync();
    }

    private static string TextOf(byte[] pdf)
    {
        using var document = PdfDocument.Open(pdf);
        var page = Assert.Single(document.GetPages());
        Assert.True(page.Width > page.Height, "The certificate is landscape.");
        return string.Join(" ", page.GetWords().Select(w => w.Text));
    }

    [Fact]
    public async Task TheCertificateOpensAsAPdfWithTheLearnerTheCertificationItsDatesAndItsCode()
    {
        var assignment = await AssignAsync(bob, renewingId, (Utc(2026, 2, 10), Utc(2027, 2, 10)));

        var file = await service.GetDocumentAsync(bobActor, bob.Id, renewingId, 1);

        Assert.NotNull(file);
        Assert.Equal("Bob Safety - Forklift Licence.pdf", file.FileName);
        var text = TextOf(file.Content);
        var code = VerificationCode.Display(await CodeOfAsync(assignment.Id, 1));
        Assert.Contains("Example Corp", text, StringComparison.Ordinal);
        Assert.Contains("Certificate of completion", text, StringComparison.Ordinal);
        Assert.Contains("Bob Safety", text, StringComparison.Ordinal);
        Assert.Contains("Forklift Licence", text, StringComparison.Ordinal);
        Assert.Contains("Completed on 10 February 2026", text, StringComparison.Ordinal);
        Assert.Contains("Valid until 10 February 2027", text, StringComparison.Ordinal);
        Assert.Contains(code, text, StringComparison.Ordinal);
        Assert.Contains($"https://portal.example.com/verify/{code}", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ACompletionThatNeverExpiresSaysSoAndARenewalIsNamedInTheFileName()
    {
        await AssignAsync(bob, safetyId, (Utc(2026, 2, 10), null));
        await AssignAsync(carol, renewingId, (Utc(2025, 2, 10), Utc(2026, 2, 10)), (Utc(2026, 2, 1), Utc(2027, 2, 10)));

        var once = await service.GetDocumentAsync(Admin, bob.Id, safetyId, 1);
        var renewal = await service.GetDocumentAsync(Admin, carol.Id, renewingId, 2);

        Assert.Contains("Does not expire", TextOf(once!.Content), StringComparison.Ordinal);
        Assert.Equal("Carol Manager - Forklift Licence - renewal 1.pdf", renewal!.FileName);
        Assert.Contains("Completed on 1 February 2026", TextOf(renewal.Content), StringComparison.Ordinal);
    }

    [Fact]
    public async Task APeriodNotCompletedHasNoCertificate()
    {
        await AssignAsync(bob, renewingId, (Utc(2025, 2, 10), Utc(2026, 2, 10)), (null, null));

        Assert.Null(await service.GetDocumentAsync(bobActor, bob.Id, renewingId, 2));
        Assert.Null(await service.GetDocumentAsync(bobActor, bob.Id, renewingId, 3));
        Assert.Null(await service.GetDocumentAsync(bobActor, bob.Id, safetyId, 1));
    }

    [Fact]
    public async Task ALearnerCannotDownloadAnotherLearnersCertificateButTheirManagerCan()
    {
        await AssignAsync(carol, safetyId, (Utc(2026, 2, 10), null));
        await using (var db = database.CreateContext())
        {
            await db.Learners.Where(l => l.Id == carol.Id).ExecuteUpdateAsync(s => s.SetProperty(l => l.ManagerId, bob.Id));
        }

        await Assert.ThrowsAsync<AccessDeniedException>(() => service.GetDocumentAsync(new Actor(bob.Email, bob.Id, new HashSet<string> { PortalRoles.Learner }), carol.Id, safetyId, 1));
        var manager = new Actor(bob.Email, bob.Id, new HashSet<string> { PortalRoles.Learner, PortalRoles.Manager });
        Assert.NotNull(await service.GetDocumentAsync(manager, carol.Id, safetyId, 1));
        await Assert.ThrowsAsync<AccessDeniedException>(() => service.GetDocumentAsync(new Actor(carol.Email, carol.Id, new HashSet<string> { PortalRoles.Learner }), bob.Id, safetyId, 1));
    }

    [Fact]
    public async Task CodesAreGivenOutOnceInAFixedNumberOfStatementsWhateverTheNumberOfPeriods()
    {
        await AssignAsync(bob, renewingId, [.. Enumerable.Range(0, 12).Select(i => ((DateTime?)Utc(2014 + i, 2, 10), (DateTime?)Utc(2015 + i, 2, 10)))]);
        await AssignAsync(bob, safetyId, (Utc(2026, 2, 10), null));

        commands.Clear();
        await service.GetDocumentAsync(bobActor, bob.Id, safetyId, 1);
        var statements = commands.Count;
        await using var db = database.CreateContext();
        var codes = await db.Certificates.Select(c => c.Code).ToListAsync();
        await service.GetDocumentAsync(bobActor, bob.Id, renewingId, 3);

        Assert.Equal(13, codes.Count);
        Assert.Equal(13, codes.Distinct().Count());
        Assert.All(codes, c => Assert.Matches("^[0-9A-HJKMNP-TV-Z]{16}$", c));
        Assert.True(statements <= 5, $"{statements} statements for 13 periods:\n{string.Join("\n", commands.Statements)}");
        Assert.Equal(codes.Order(), (await db.Certificates.Select(c => c.Code).ToListAsync()).Order());
    }

    [Fact]
    public async Task AValidCodeNamesTheLearnerTheCertificationAndItsDatesWhateverCaseOrSeparatorsAreTyped()
    {
        var assignment = await AssignAsync(bob, renewingId, (Utc(2026, 2, 10), Utc(2027, 2, 10)));
        await service.GetDocumentAsync(bobActor, bob.Id, renewingId, 1);
        var code = await CodeOfAsync(assignment.Id, 1);

        var typed = VerificationCode.Display(code).ToLowerInvariant().Replace('0', 'o').Replace('1', 'l');
        var answer = await service.VerifyAsync(typed);

        Assert.Equal(
            new CertificateVerification(CertificateState.Valid, "Bob Safety", "Forklift Licence", new DateOnly(2026, 2, 10), new DateOnly(2027, 2, 10), null),
            answer);
    }

    [Fact]
    public async Task ACodePastItsExpiryReadsExpiredWithTheDayItExpired()
    {
        var assignment = await AssignAsync(bob, renewingId, (Utc(2026, 2, 10), Utc(2027, 2, 10)));
        await service.GetDocumentAsync(bobActor, bob.Id, renewingId, 1);
        var code = await CodeOfAsync(assignment.Id, 1);

        time.SetUtcNow(new DateTimeOffset(Utc(2027, 2, 10)));
        var answer = await service.VerifyAsync(code);

        Assert.Equal(CertificateState.Expired, answer.State);
        Assert.Equal(new DateOnly(2027, 2, 10), answer.ExpiresOn);
        Assert.Equal("Bob Safety", answer.LearnerName);
    }

    [Fact]
    public async Task AWithdrawnLearnersCertificateStaysValidUntilItExpires()
    {
        var assignment = await AssignAsync(bob, renewingId, (Utc(2026, 2, 10), Utc(2027, 2, 10)));
        await service.GetDocumentAsync(bobActor, bob.Id, renewingId, 1);
        var code = await CodeOfAsync(assignment.Id, 1);
        await using (var db = database.CreateContext())
        {
            await db.Assignments.Where(a => a.Id == assignment.Id).ExecuteUpdateAsync(s => s.SetProperty(a => a.WithdrawnAt, Utc(2026, 3, 1)));
        }

        Assert.Equal(CertificateState.Valid, (await service.VerifyAsync(code)).State);
        time.SetUtcNow(new DateTimeOffset(Utc(2027, 3, 1)));
        Assert.Equal(CertificateState.Expired, (await service.VerifyAsync(code)).State);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not a code")]
    [InlineData("0000-0000-0000-0000")]
    [InlineData("0000-0000-0000-000U")]
    public async Task ACodeNobodyWasGivenIsUnknown(string typed)
    {
        var assignment = await AssignAsync(bob, safetyId, (Utc(2026, 2, 10), null));
        await service.GetDocumentAsync(bobActor, bob.Id, safetyId, 1);
        Assert.NotEqual("0000000000000000", await CodeOfAsync(assignment.Id, 1));

        Assert.Equal(CertificateVerification.Unknown, await service.VerifyAsync(typed));
    }

    [Fact]
    public async Task ACompletionRemovedWithItsPeriodRevokesItsCertificateFromTheDayItWasFirstSeenGone()
    {
        var assignment = await AssignAsync(bob, safetyId, (Utc(2026, 2, 10), null));
        await service.GetDocumentAsync(bobActor, bob.Id, safetyId, 1);
        var code = await CodeOfAsync(assignment.Id, 1);
        await using (var db = database.CreateContext())
        {
            await db.Periods.Where(p => p.AssignmentId == assignment.Id).ExecuteDeleteAsync();
        }

        time.SetUtcNow(new DateTimeOffset(Utc(2026, 3, 5)));
        var first = await service.VerifyAsync(code);
        time.SetUtcNow(new DateTimeOffset(Utc(2026, 4, 5)));
        var later = await service.VerifyAsync(code);

        Assert.Equal(new CertificateVerification(CertificateState.Revoked, null, null, null, null, new DateOnly(2026, 3, 5)), first);
        Assert.Equal(first, later);
        Assert.Null(await service.GetDocumentAsync(bobActor, bob.Id, safetyId, 1));
    }

    [Fact]
    public async Task AnAdminCanRevokeACertificateAndNobodyElseCan()
    {
        var assignment = await AssignAsync(bob, safetyId, (Utc(2026, 2, 10), null));
        await service.GetDocumentAsync(bobActor, bob.Id, safetyId, 1);
        var code = await CodeOfAsync(assignment.Id, 1);

        await Assert.ThrowsAsync<AccessDeniedException>(() => service.RevokeAsync(bobActor, code, "Issued in error"));
        Assert.True(await service.RevokeAsync(Admin, code, "Issued in error"));

        var answer = await service.VerifyAsync(code);
        Assert.Equal(CertificateState.Revoked, answer.State);
        Assert.Equal(new DateOnly(2026, 3, 2), answer.RevokedOn);
        Assert.Null(await service.GetDocumentAsync(bobActor, bob.Id, safetyId, 1));
    }

    [Fact]
    public async Task ALearnerGetsNoCertificateOfAnInvisibleCertificationButAnAdminDoes()
    {
        await using (var db = database.CreateContext())
        {
            await db.Certifications.Where(c => c.Id == safetyId).ExecuteUpdateAsync(s => s.SetProperty(c => c.IsInvisible, true));
        }

        await AssignAsync(bob, safetyId, (Utc(2026, 2, 10), null));

        Assert.Null(await service.GetDocumentAsync(bobActor, bob.Id, safetyId, 1));
        Assert.NotNull(await service.GetDocumentAsync(Admin, bob.Id, safetyId, 1));
    }
}
