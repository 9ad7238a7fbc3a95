using MudBlazor;

namespace Certifications.Portal.Components.Layout;

/// <summary>
/// The portal's look. The colours are chosen so that text in them, and white or dark text on them (filled chips,
/// buttons), keeps a contrast of at least 4.5:1 on the surfaces of each theme (WCAG AA): MudBlazor's own status colours
/// are lighter and fail it.
/// </summary>
internal static class PortalTheme
{
    private const string DarkSurface = "#262733";
    private const string DarkBackground = "#1f2029";

    public static MudTheme Theme { get; } = new()
    {
        Typography = new Typography
        {
            Default = new DefaultTypography { FontFamily = ["system-ui", "-apple-system", "Segoe UI", "Roboto", "Helvetica Neue", "Arial", "sans-serif"] },
        },
        PaletteLight = new PaletteLight
        {
            Primary = "#4a3dc9",
            AppbarBackground = "#4a3dc9",
            Secondary = "#c2185b",
            Info = "#0a66c2",
            Success = "#1e7b34",
            Warning = "#9c5700",
            Error = "#c62828",
        },
        PaletteDark = new PaletteDark
        {
            Primary = "#b4abff",
            PrimaryContrastText = DarkBackground,
            Secondary = "#ff80ab",
            SecondaryContrastText = DarkBackground,
            Info = "#7cc4fa",
            InfoContrastText = DarkBackground,
            Success = "#7bd88f",
            SuccessContrastText = DarkBackground,
            Warning = "#ffc46b",
            WarningContrastText = DarkBackground,
            Error = "#ff8a80",
            ErrorContrastText = DarkBackground,
            Background = DarkBackground,
            Surface = DarkSurface,
            AppbarBackground = DarkSurface,
            DrawerBackground = DarkSurface,
            TextPrimary = "rgba(255,255,255,0.87)",
            TextSecondary = "rgba(255,255,255,0.72)",
            DrawerText = "rgba(255,255,255,0.80)",
            DrawerIcon = "rgba(255,255,255,0.80)",
            AppbarText = "rgba(255,255,255,0.87)",
            ActionDefault = "rgba(255,255,255,0.80)",
        },
    };
}
