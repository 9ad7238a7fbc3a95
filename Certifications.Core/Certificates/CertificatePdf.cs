using System.Globalization;
using PdfSharp;
using PdfSharp.Drawing;
using PdfSharp.Pdf;

namespace Certifications.Core.Certificates;

/// <summary>What a certificate says. Dates are calendar dates in the organisation's zone.</summary>
public sealed record CertificateContent(
    string OrganisationName,
    string LearnerName,
    string CertificationName,
    DateOnly CompletedOn,
    DateOnly? ValidUntil,
    string Code,
    string VerifyUrl,
    DateTime IssuedAt);

/// <summary>Lays a certificate out on one landscape A4 page.</summary>
public static class CertificatePdf
{
    private static readonly CultureInfo English = CultureInfo.GetCultureInfo("en-GB");

    public static byte[] Render(CertificateContent content)
    {
        ArgumentNullException.ThrowIfNull(content);
        CertificateFonts.EnsureRegistered();
        using var document = new PdfDocument();
        document.Info.Title = $"{content.CertificationName}: {content.LearnerName}";
        document.Info.Author = content.OrganisationName;
        // Set from the portal's clock; PDFsharp would otherwise take the machine's.
        document.Info.CreationDate = content.IssuedAt;
        document.Info.ModificationDate = content.IssuedAt;

        var page = document.AddPage();
        page.Size = PageSize.A4;
        page.Orientation = PageOrientation.Landscape;
        using (var g = XGraphics.FromPdfPage(page))
        {
            Draw(g, page.Width.Point, page.Height.Point, content);
        }

        using var stream = new MemoryStream();
        document.Save(stream, closeStream: false);
        return stream.ToArray();
    }

    public static string Date(DateOnly date) => date.ToString("d MMMM yyyy", English);

    private static void Draw(XGraphics g, double width, double height, CertificateContent content)
    {
        var accent = XColor.FromArgb(25, 82, 140);
        g.DrawRectangle(new XPen(accent, 3), 24, 24, width - 48, height - 48);
        g.DrawRectangle(new XPen(accent, 0.75), 32, 32, width - 64, height - 64);

        var centre = width / 2;
        var dark = XBrushes.Black;
        var muted = new XSolidBrush(XColor.FromArgb(90, 90, 90));
        var accentBrush = new XSolidBrush(accent);

        Centred(g, content.OrganisationName, new XFont(CertificateFonts.Family, 16, XFontStyleEx.Bold), accentBrush, centre, 90);
        Centred(g, "Certificate of completion", new XFont(CertificateFonts.Family, 34, XFontStyleEx.Bold), dark, centre, 160);
        Centred(g, "This certifies that", new XFont(CertificateFonts.Family, 14), muted, centre, 215);
        Centred(g, content.LearnerName, new XFont(CertificateFonts.Family, 28, XFontStyleEx.Bold), dark, centre, 262);
        Centred(g, "has completed", new XFont(CertificateFonts.Family, 14), muted, centre, 302);
        Centred(g, content.CertificationName, new XFont(CertificateFonts.Family, 22, XFontStyleEx.Bold), accentBrush, centre, 342);

        var body = new XFont(CertificateFonts.Family, 13);
        Centred(g, $"Completed on {Date(content.CompletedOn)}", body, dark, centre, 392);
        Centred(g, content.ValidUntil is { } until ? $"Valid until {Date(until)}" : "Does not expire", body, dark, centre, 414);

        var small = new XFont(CertificateFonts.Family, 10);
        Centred(g, $"Verification code {VerificationCode.Display(content.Code)}", new XFont(CertificateFonts.Family, 11, XFontStyleEx.Bold), dark, centre, height - 92);
        Centred(g, $"Check this certificate at {content.VerifyUrl}", small, muted, centre, height - 74);
    }

    private static void Centred(XGraphics g, string text, XFont font, XBrush brush, double centre, double baseline) =>
        g.DrawString(text, font, brush, new XPoint(centre, baseline), XStringFormats.BaseLineCenter);
}
