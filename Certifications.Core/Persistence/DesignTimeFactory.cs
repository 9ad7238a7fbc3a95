using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Certifications.Core.Persistence;

/// <summary>
/// Lets `dotnet ef migrations add` build the context without starting the portal: on SQLite, or on PostgreSQL when the
/// tool is given `-- --provider PostgreSQL` (README, Development). No database is opened to add a migration.
/// </summary>
internal sealed class DesignTimeFactory : IDesignTimeDbContextFactory<CertificationsDbContext>
{
    public CertificationsDbContext CreateDbContext(string[] args)
    {
        var provider = args.SkipWhile(a => a != "--provider").Skip(1).FirstOrDefault();
        var settings = string.Equals(provider, "PostgreSQL", StringComparison.OrdinalIgnoreCase)
            ? new DatabaseSettings(DatabaseProvider.PostgreSql, "Host=localhost;Database=certifications")
            : new DatabaseSettings(DatabaseProvider.Sqlite, "Data Source=design.db");
        var options = new DbContextOptionsBuilder<CertificationsDbContext>();
        settings.Configure(options);
        return new(options.Options);
    }
}
