namespace Certifications.Bench.Measuring;

/// <summary>
/// A fresh copy of a data set for the next measurement, on disk before the clock starts: a copy left in the system's
/// write-back cache is written out while the measured work runs, and each of its commits waits behind gigabytes that
/// are not its own.
/// </summary>
internal static class DataCopy
{
    public static void Fresh(string source, string target)
    {
        File.Copy(source, target, overwrite: true);
        using var written = new FileStream(target, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite);
        written.Flush(flushToDisk: true);
    }
}
