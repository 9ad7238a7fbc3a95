using Microsoft.Extensions.Logging;

namespace Certifications.Core;

internal static partial class CoreLog
{
    [LoggerMessage(Level = LogLevel.Error, Message = "A change touching certification {CertificationId} was saved, but recomputing its assignments failed; the next recompute repairs them.")]
    public static partial void RecomputeAfterCommitFailed(ILogger logger, int certificationId, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Renewal sweep run {RunId} ({Trigger}) started at {Instant:o}.")]
    public static partial void SweepStarted(ILogger logger, long runId, Renewals.SweepTrigger trigger, DateTime instant);

    [LoggerMessage(Level = LogLevel.Information, Message = "Renewal sweep run {RunId} committed a batch: {Assignments} assignments, {Transitions} transitions, up to assignment {LastId}.")]
    public static partial void SweepBatchCommitted(ILogger logger, long runId, int assignments, int transitions, int lastId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Renewal sweep run {RunId} finished: {Assignments} assignments evaluated, {Transitions} transitions.")]
    public static partial void SweepFinished(ILogger logger, long runId, int assignments, int transitions);

    [LoggerMessage(Level = LogLevel.Error, Message = "Renewal sweep run {RunId} failed; what it committed stands and the next run retries the rest.")]
    public static partial void SweepFailed(ILogger logger, long runId, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Failed} notification emails failed and will be tried again, {GivenUp} were given up; the first error: {Error}")]
    public static partial void NotificationsNotSent(ILogger logger, int failed, int givenUp, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Count} notifications recorded too long ago were not mailed; they are shown in the portal.")]
    public static partial void NotificationsTooOldToMail(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A {Kind} event could not be sent to the other instances; their pages catch up at their next reload.")]
    public static partial void EventRelaySendFailed(ILogger logger, string kind, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Listening to the other instances' events failed; trying again in {Seconds} s.")]
    public static partial void EventRelayListenFailed(ILogger logger, double seconds, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A message of {Bytes} bytes on the events channel could not be read; it was skipped.")]
    public static partial void EventRelayUnreadable(ILogger logger, int bytes, Exception exception);
}
