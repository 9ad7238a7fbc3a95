namespace Certifications.Portal.Components.Layout;

/// <summary>
/// Light or dark: the visitor's choice from the app bar's toggle, kept in a cookie for a year; without one, the system's
/// preference, which Chromium-based browsers send in a client hint once asked. The hint is marked critical, so such a
/// browser asked for it on its very first request sends that request again with it before showing anything;
/// interactive pages also ask the browser once they are interactive. Read on the server so that the first paint, and
/// the pages rendered without interactivity (sign-in, errors), already have the theme.
/// </summary>
internal static class ThemeChoice
{
    public const string CookieName = "certifications.theme";

    private const string ClientHint = "Sec-CH-Prefers-Color-Scheme";

    /// <summary>True for dark, false for light, null when neither the cookie nor the browser says.</summary>
    public static bool? Read(HttpContext context) => Chosen(context) ?? Parse(context.Request.Headers[ClientHint].ToString().Trim('"'));

    /// <summary>The visitor's own choice, if they made one; without it, interactive pages check the system's preference.</summary>
    public static bool? Chosen(HttpContext context) => Parse(context.Request.Cookies[CookieName]);

    /// <summary>Asks the browser to send its colour scheme with this request, again if it did not, and the following ones.</summary>
    public static IApplicationBuilder UseThemeChoice(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            context.Response.OnStarting(() =>
            {
                var headers = context.Response.Headers;
                headers["Accept-CH"] = ClientHint;
                headers["Critical-CH"] = ClientHint;
                headers.Append("Vary", ClientHint);
                return Task.CompletedTask;
            });
            await next();
        });

    private static bool? Parse(string? value) => value switch
    {
        "dark" => true,
        "light" => false,
        _ => null,
    };
}
