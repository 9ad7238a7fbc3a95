using Certifications.Core.Certifications;
using Certifications.Core.Events;
using Certifications.Core.Persistence;
using Certifications.Core.Progress;
using Certifications.Core.Security;
using Certifications.Core.Time;
using Microsoft.EntityFrameworkCore;

namespace Certifications.Tests.Infrastructure;

/// <summary>The real Core services wired by hand for data tests, as the portal's DI wires them.</summary>
public static class TestServices
{
    public static CertificationService Certifications(IDbContextFactory<CertificationsDbContext> factory, TimeProvider time, EventHub events, AccessGuard guard) =>
        new(factory, time, events, guard, new ProgressRecompute(factory, time, OrganisationCalendar.Utc, events), Microsoft.Extensions.Logging.Abstractions.NullLogger<CertificationService>.Instance);
}
