using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Certifications.Tests.Infrastructure;

/// <summary>Signs in over HTTP through the portal's real sign-in form, as a browser would.</summary>
public static partial class PortalSignIn
{
    public static HttpClient AnonymousClient(PortalFactory portal, string baseAddress = "http://localhost") =>
        portal.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true, BaseAddress = new Uri(baseAddress) });

    /// <summary>A client with its own cookies, signed in as the demo account the sign-in page lists for the role.</summary>
    public static async Task<HttpClient> AsAsync(PortalFactory portal, string role, string baseAddress = "http://localhost")
    {
        var client = AnonymousClient(portal, baseAddress);
        var (email, password) = await DemoAccountAsync(client, role);
        var response = await SubmitAsync(client, email, password);
        if (response.StatusCode != HttpStatusCode.Redirect)
        {
            throw new InvalidOperationException($"Signing in as {role} ({email}) answered {(int)response.StatusCode}.");
        }

        return client;
    }

    public static async Task<(string Email, string Password)> DemoAccountAsync(HttpClient client, string role)
    {
        var html = await client.GetStringAsync(new Uri("/account/sign-in", UriKind.Relative));
        var row = Regex.Match(html, $"data-role=\"{role}\">.*?</tr>", RegexOptions.Singleline);
        var email = Regex.Matches(row.Value, "<td>(.*?)</td>")[2].Groups[1].Value;
        var password = Regex.Match(html, "data-test=\"demo-password\">(.*?)</code>").Groups[1].Value;
        return (WebUtility.HtmlDecode(email), WebUtility.HtmlDecode(password));
    }

    /// <summary>Posts the sign-in form with the antiforgery token the page gave.</summary>
    public static async Task<HttpResponseMessage> SubmitAsync(HttpClient client, string email, string password)
    {
        var html = await client.GetStringAsync(new Uri("/account/sign-in", UriKind.Relative));
        var token = AntiforgeryToken().Match(html).Groups[1].Value;
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "sign-in",
            ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token),
            ["Input.Email"] = email,
            ["Input.Password"] = password,
        });
        return await client.PostAsync(new Uri("/account/sign-in", UriKind.Relative), form);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();
}
