using PdfSharp.Fonts;

namespace Certifications.Core.Certificates;

/// <summary>
/// PDFsharp finds no fonts by itself on Linux: this resolver gives it DejaVu Sans (Debian's fonts-dejavu-core, which
/// test.sh installs when missing) or, failing that, Liberation Sans (fonts-liberation). Both are embedded in the PDF as
/// subsets, so a certificate reads the same wherever it is opened. PDFsharp keeps one resolver for the process, set once.
/// </summary>
internal sealed class CertificateFonts : IFontResolver
{
    public const string Family = "Certificate Sans";

    private static readonly string[][] Candidates =
    [
        ["/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"],
        ["/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf", "/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf"],
    ];

    private static readonly Lock Gate = new();
    private static readonly CertificateFonts Instance = new();
    private readonly Lazy<string[]> files = new(FindFiles);

    public static void EnsureRegistered()
    {
        lock (Gate)
        {
            if (GlobalFontSettings.FontResolver is not CertificateFonts)
            {
                GlobalFontSettings.FontResolver = Instance;
            }
        }
    }

    public FontResolverInfo? ResolveTypeface(string familyName, bool bold, bool italic) =>
        new(bold ? "certificate-bold" : "certificate-regular");

    public byte[]? GetFont(string faceName) => File.ReadAllBytes(files.Value[faceName == "certificate-bold" ? 1 : 0]);

    private static string[] FindFiles() =>
        Candidates.FirstOrDefault(pair => pair.All(File.Exists))
        ?? throw new InvalidOperationException(
            "Certificates need the DejaVu Sans or Liberation Sans fonts: install Debian's fonts-dejavu-core (apt-get install -y fonts-dejavu-core).");
}
