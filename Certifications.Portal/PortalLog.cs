namespace Certifications.Portal;

internal static partial class PortalLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Demo data seeded; {Count} assignments evaluated.")]
    public static partial void DemoDataSeeded(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Created the first administrator, {Email}, from the Bootstrap settings. Remove Bootstrap:AdminPassword from the configuration now.")]
    public static partial void AdministratorBootstrapped(ILogger logger, string email);
}
