using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace Certifications.Portal.Security;

/// <summary>
/// Behind a load balancer every request comes from the balancer: the client's own address (which the sign-in and API
/// limits count by) and scheme come in X-Forwarded-For and X-Forwarded-Proto, believed only from a proxy the portal
/// trusts: one on this machine (loopback), or one listed in <c>ReverseProxy:KnownProxies</c> (IP addresses). From
/// anyone else the headers are ignored, so a client cannot choose the address it is counted as.
/// </summary>
internal static class ReverseProxy
{
    public static IServiceCollection AddReverseProxySupport(this IServiceCollection services)
    {
        services.AddOptions<ForwardedHeadersOptions>()
            .Configure<IConfiguration>((options, configuration) =>
            {
                options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
                foreach (var proxy in KnownProxies(configuration))
                {
                    options.KnownProxies.Add(proxy);
                }
            })
            .Validate<IConfiguration>(
                (options, configuration) => configuration.GetSection("ReverseProxy:KnownProxies").Get<string[]>() is not { } listed || listed.All(p => IPAddress.TryParse(p, out IPAddress? _)),
                "ReverseProxy:KnownProxies lists something that is not an IP address.")
            .ValidateOnStart();
        return services;
    }

    private static IEnumerable<IPAddress> KnownProxies(IConfiguration configuration) =>
        (configuration.GetSection("ReverseProxy:KnownProxies").Get<string[]>() ?? [])
            .Select(p => IPAddress.TryParse(p, out var address) ? address : null)
            .OfType<IPAddress>();
}
