using System.Diagnostics;
using System.Net;
using System.Text;

namespace RxInfer.Storage.PostgreSql.Tests.Durability;

/// <summary>
/// The sample host as a real process (<c>dotnet RxInfer.Server.dll</c> from this test's output folder, where the
/// project reference puts it with its <c>models</c> folder) on a free loopback port, killed with SIGKILL or stopped at
/// dispose. Its output is kept for failure messages.
/// </summary>
internal sealed class SampleProcess : IAsyncDisposable
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(90);

    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private SampleProcess(Process process, Uri address)
    {
        _process = process;
        Address = address;
    }

    /// <summary>The host's base address, <c>http://127.0.0.1:port/</c>.</summary>
    public Uri Address { get; }

    /// <summary>What the process wrote so far (stdout and stderr).</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Starts the sample on PostgreSQL and waits until <c>/v1/ping</c> answers.</summary>
    public static async Task<SampleProcess> StartAsync(string connectionString, int port = 0)
    {
        port = port == 0 ? TestPorts.FreeLoopbackPort() : port;
        var start = new ProcessStartInfo(DotnetHost())
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "RxInfer.Server.dll"));
        start.Environment["RXINFER_SERVER_PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["ConnectionStrings__RxInfer"] = connectionString;
        start.Environment["RXINFER_SERVER_ANONYMOUS_TOKENS_PER_MINUTE"] = "0"; // the load comes from one address
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the sample host.");
        var sample = new SampleProcess(process, new Uri($"http://127.0.0.1:{port}/"));
        process.OutputDataReceived += (_, e) => sample.Append(e.Data);
        process.ErrorDataReceived += (_, e) => sample.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await sample.WaitUntilReadyAsync();
            return sample;
        }
        catch
        {
            await sample.DisposeAsync();
            throw;
        }
    }

    /// <summary>Kills the process with SIGKILL (no shutdown of any kind) and waits until it is gone.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
    }

    private async Task WaitUntilReadyAsync()
    {
        using var client = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(5) };
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < ReadyTimeout)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The sample host exited with code {_process.ExitCode}:\n{Output}");
            }

            try
            {
                if ((await client.GetAsync(new Uri("v1/ping", UriKind.Relative))).StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"The sample host did not answer /v1/ping within {ReadyTimeout}:\n{Output}");
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }

    private static string DotnetHost()
    {
        var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        return !string.IsNullOrEmpty(host) && File.Exists(host) ? host : "dotnet";
    }
}
