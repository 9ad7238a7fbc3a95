namespace Certifications.Portal;

internal static partial class PortalLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Demo data seeded; {Count} assignments evaluated.")]
    public static partial void DemoDataSeeded(ILogger logger, int count);
}
