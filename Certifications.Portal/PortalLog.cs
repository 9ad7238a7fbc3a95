namespace Certifications.Portal;

internal static partial class PortalLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Demo data seeded; {Count} assignments evaluated.")]
    public static partial void DemoDataSeeded(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Created the first administrator, {Email}, from the Bootstrap settings. Remove Bootstrap:AdminPassword from the configuration now.")]
    public static partial void AdministratorBootstrapped(ILogger logger, string email);

    [LoggerMessage(Level = LogLevel.Information, Message = "Demo feed on: results for {Learners} learners every {Seconds} s (Demo:Feed:Enabled in appsettings.json turns it off).")]
    public static partial void DemoFeedStarted(ILogger logger, double seconds, int learners);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Demo feed sent {Accepted} results ({Rejected} rejected).")]
    public static partial void DemoFeedRound(ILogger logger, int accepted, int rejected);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A demo feed round failed; the next round follows as usual.")]
    public static partial void DemoFeedFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Renewal sweep run {RunId} ({Trigger}): {Assignments} assignments evaluated, {Transitions} transitions; error: {Error}.")]
    public static partial void SweepJobRan(ILogger logger, long runId, Certifications.Core.Renewals.SweepTrigger trigger, int assignments, int transitions, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "API request {Method} {Path} failed (error id {ErrorId}).")]
    public static partial void ApiRequestFailed(ILogger logger, string method, string path, string errorId, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Notification emails: {Sent} sent, {Failed} to be tried again, {GivenUp} given up, {NotSent} without an address.")]
    public static partial void NotificationsSent(ILogger logger, int sent, int failed, int givenUp, int notSent);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Health check {Check} failed.")]
    public static partial void HealthCheckFailed(ILogger logger, string check, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Unexpected error {ErrorId} on {Where}.")]
    public static partial void UnexpectedError(ILogger logger, string errorId, string where, Exception exception);
}
