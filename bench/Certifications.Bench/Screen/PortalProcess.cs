using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Certifications.Bench.Screen;

/// <summary>
/// The portal in its own process, as deployed (the Release build beside this bench, on plain HTTP with the Development environment), on a free loopback port and the
/// given database, with no demo data, no demo feed and no scheduler, so that nothing but the measured results moves.
/// </summary>
internal sealed class PortalProcess : IAsyncDisposable
{
    private readonly Process process;

    private PortalProcess(Process process, Uri address) => (this.process, Address) = (process, address);

    public Uri Address { get; }

    public static async Task<PortalProcess> StartAsync(string connectionString, string adminEmail, string adminPassword, TextWriter log)
    {
        var dll = PortalAssembly();
        var port = FreePort();
        // Plain HTTP on loopback: outside Development the portal insists on HTTPS (secure cookies, antiforgery) and serves
        // its static assets from a published folder, so the Release build runs with the Development environment here.
        var address = new Uri($"http://localhost:{port}");
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
                 {
                     dll, "--urls", address.ToString(), "--environment", "Development",
                     $"--ConnectionStrings:Certifications={connectionString}",
                     "--Demo:Seed=false", "--Demo:Feed:Enabled=false", "--Scheduler:Enabled=false",
                     $"--Bootstrap:AdminEmail={adminEmail}", $"--Bootstrap:AdminPassword={adminPassword}",
                     "--Api:RequestsPerMinute=100000",
                 })
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("The portal did not start.");
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is { } line && (line.Contains("fail:", StringComparison.Ordinal) || line.Contains("crit:", StringComparison.Ordinal)))
            {
                log.WriteLine($"  portal: {line}");
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is { Length: > 0 } line)
            {
                log.WriteLine($"  portal: {line}");
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var portal = new PortalProcess(process, address);
        try
        {
            await portal.WaitUntilServingAsync();
            return portal;
        }
        catch
        {
            await portal.DisposeAsync();
            throw;
        }
    }

    private async Task WaitUntilServingAsync()
    {
        using var client = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(5) };
        var started = Stopwatch.StartNew();
        while (started.Elapsed < TimeSpan.FromMinutes(5))
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"The portal stopped with exit code {process.ExitCode} before serving.");
            }

            try
            {
                using var response = await client.GetAsync(new Uri("/account/sign-in", UriKind.Relative));
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            await Task.Delay(500);
        }

        throw new TimeoutException("The portal did not serve its sign-in page within five minutes.");
    }

    /// <summary>The Release build of the portal, which building this bench in Release builds too.</summary>
    private static string PortalAssembly()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "Certifications.sln")))
        {
            folder = folder.Parent;
        }

        var dll = folder is null ? null : Path.Combine(folder.FullName, "Certifications.Portal", "bin", "Release", "net10.0", "Certifications.Portal.dll");
        return dll is not null && File.Exists(dll)
            ? dll
            : throw new FileNotFoundException("Build the portal in Release first: dotnet build -c Release Certifications.Portal");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        process.Dispose();
    }
}
