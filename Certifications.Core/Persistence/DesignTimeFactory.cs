using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Certifications.Core.Persistence;

/// <summary>Lets `dotnet ef migrations add` build the context without starting the portal.</summary>
internal sealed class DesignTimeFactory : IDesignTimeDbContextFactory<CertificationsDbContext>
{
    public CertificationsDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<CertificationsDbContext>().UseSqlite("Data Source=design.db").Options);
}
