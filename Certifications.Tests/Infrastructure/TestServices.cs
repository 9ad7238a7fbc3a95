using Certifications.Core.Catalog;
using Certifications.Core.Certifications;
using Certifications.Core.Events;
using Certifications.Core.Persistence;
using Certifications.Core.Progress;
using Certifications.Core.Security;
using Certifications.Core.Time;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;

namespace Certifications.Tests.Infrastructure;

/// <summary>The real Core services wired by hand for data tests, as the portal's DI wires them.</summary>
public static class TestServices
{
    public static CertificationService Certifications(IDbContextFactory<CertificationsDbContext> factory, TimeProvider time, EventHub events, AccessGuard guard) =>
        new(factory, time, events, guard, Recompute(factory, time, events), Microsoft.Extensions.Logging.Abstractions.NullLogger<CertificationService>.Instance);

    public static CourseAdministration Courses(IDbContextFactory<CertificationsDbContext> factory, TimeProvider time, EventHub events) =>
        new(factory, time, new AccessGuard(factory, time), Recompute(factory, time, events), events, NullLogger<CourseAdministration>.Instance);

    public static GroupAdministration Groups(IDbContextFactory<CertificationsDbContext> factory, TimeProvider time, EventHub events) =>
        new(factory, time, new AccessGuard(factory, time), Recompute(factory, time, events), events, NullLogger<GroupAdministration>.Instance);

    public static LearnerAdministration Learners(IDbContextFactory<CertificationsDbContext> factory, TimeProvider time, EventHub events) =>
        new(factory, time, new AccessGuard(factory, time), Recompute(factory, time, events), events, NullLogger<LearnerAdministration>.Instance);

    private static ProgressRecompute Recompute(IDbContextFactory<CertificationsDbContext> factory, TimeProvider time, EventHub events) =>
        new(factory, time, OrganisationCalendar.Utc, events);
}
