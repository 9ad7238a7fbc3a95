using Microsoft.Extensions.Logging;

namespace Certifications.Core;

internal static partial class CoreLog
{
    [LoggerMessage(Level = LogLevel.Error, Message = "A change touching certification {CertificationId} was saved, but recomputing its assignments failed; the next recompute repairs them.")]
    public static partial void RecomputeAfterCommitFailed(ILogger logger, int certificationId, Exception exception);
}
