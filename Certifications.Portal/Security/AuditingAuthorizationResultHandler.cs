using Certifications.Core.Auditing;
using Certifications.Core.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;

namespace Certifications.Portal.Security;

/// <summary>Records in the audit trail every request refused for lack of rights, then answers as usual.</summary>
internal sealed class AuditingAuthorizationResultHandler(AccessGuard guard) : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler standard = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (authorizeResult.Forbidden)
        {
            await guard.RecordDeniedAsync(Actor.From(context.User), context.Request.Path.Value ?? "/", context.RequestAborted);
        }

        await standard.HandleAsync(next, context, policy, authorizeResult);
    }
}
