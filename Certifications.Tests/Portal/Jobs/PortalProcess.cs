using System.Diagnostics;

namespace Certifications.Tests.Portal.Jobs;

/// <summary>
/// The built portal run as a child process (<c>dotnet Certifications.Portal.dll</c>) with settings on its command line,
/// its log read line by line as it comes, and killed outright (SIGKILL), as a crash would stop it.
/// </summary>
internal sealed class PortalProcess : IDisposable
{
    private readonly Process process;
    private readonly List<string> lines = [];
    private readonly Lock gate = new();
    private readonly List<(Func<string, bool> Matches, TaskCompletionSource<string> Seen)> waiters = [];

    private PortalProcess(Process process) => this.process = process;

    public static PortalProcess Start(string workingFolder, IReadOnlyDictionary<string, string> settings)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingFolder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Certifications.Portal.dll"));
        foreach (var (key, value) in settings)
        {
            start.ArgumentList.Add($"--{key}={value}");
        }

        var portal = new PortalProcess(new Process { StartInfo = start });
        portal.process.OutputDataReceived += (_, e) => portal.Read(e.Data);
        portal.process.ErrorDataReceived += (_, e) => portal.Read(e.Data);
        portal.process.Start();
        portal.process.BeginOutputReadLine();
        portal.process.BeginErrorReadLine();
        return portal;
    }

    public string Log
    {
        get
        {
            lock (gate)
            {
                return string.Join(Environment.NewLine, lines);
            }
        }
    }

    /// <summary>The first line, already read or still to come, that matches; fails with the log so far after <paramref name="timeout"/>.</summary>
    public async Task<string> WaitForLineAsync(Func<string, bool> matches, TimeSpan timeout)
    {
        var seen = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (gate)
        {
            if (lines.Find(l => matches(l)) is { } line)
            {
                return line;
            }

            waiters.Add((matches, seen));
        }

        var exited = process.WaitForExitAsync();
        var first = await Task.WhenAny(seen.Task, exited, Task.Delay(timeout));
        return first == seen.Task
            ? await seen.Task
            : throw new TimeoutException($"{(first == exited ? "The portal exited" : "Nothing matched in time")}; its log:{Environment.NewLine}{Log}");
    }

    /// <summary>SIGKILL: no shutdown, no flush, no finally.</summary>
    public void Kill()
    {
        process.Kill(entireProcessTree: true);
        process.WaitForExit();
    }

    private void Read(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (gate)
        {
            lines.Add(line);
            foreach (var waiter in waiters.Where(w => w.Matches(line)).ToList())
            {
                waiters.Remove(waiter);
                waiter.Seen.TrySetResult(line);
            }
        }
    }

    public void Dispose()
    {
        if (!process.HasExited)
        {
            Kill();
        }

        process.Dispose();
    }
}
