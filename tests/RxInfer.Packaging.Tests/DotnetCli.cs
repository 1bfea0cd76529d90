using System.Diagnostics;
using System.Text;

namespace RxInfer.Packaging.Tests;

/// <summary>
/// The <c>dotnet</c> command of the .NET SDK, run as a child process the way a developer runs it: a clean
/// environment (no MSBuild variables inherited from the test run), no lingering MSBuild nodes, output kept for
/// the failure message.
/// </summary>
internal static class DotnetCli
{
    private const string MissingSdk =
        "The packaging tests need the `dotnet` command of the .NET 10 SDK and found none (DOTNET_HOST_PATH is not set " +
        "and no `dotnet` is on PATH). Install the .NET 10 SDK (https://dot.net/download) and put `dotnet` on PATH.";

    /// <summary>The <c>dotnet</c> executable: the one running this test when the SDK says so, else the first on PATH.</summary>
    public static string Executable { get; } = Locate();

    /// <summary>
    /// Runs <c>dotnet</c> with <paramref name="arguments"/> to its end; fails the test on a non-zero exit or past
    /// <paramref name="limit"/>, with the command's output and <paramref name="hint"/> in the message.
    /// </summary>
    public static async Task<string> RunAsync(
        string workingDirectory, string[] arguments, TimeSpan limit, IReadOnlyDictionary<string, string>? environment = null, string? hint = null)
    {
        Assert.True(File.Exists(Executable), MissingSdk);
        using var process = new Process { StartInfo = StartInfo(workingDirectory, environment, arguments) };
        var output = new OutputBuffer();
        process.OutputDataReceived += (_, e) => output.Append(e.Data);
        process.ErrorDataReceived += (_, e) => output.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var timeout = new CancellationTokenSource(limit);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            Assert.Fail($"`dotnet {string.Join(' ', arguments)}` did not finish within {limit}. {hint}\nIts output:\n{output.Tail()}");
        }

        Assert.True(
            process.ExitCode == 0,
            $"`dotnet {string.Join(' ', arguments)}` in {workingDirectory} exited with {process.ExitCode}. {hint}\nIts output:\n{output.Tail()}");
        return output.ToString();
    }

    /// <summary>Starts <c>dotnet</c> with <paramref name="arguments"/> and leaves it running; the caller stops it.</summary>
    public static RunningProcess Start(string workingDirectory, string[] arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        Assert.True(File.Exists(Executable), MissingSdk);
        return new RunningProcess(StartInfo(workingDirectory, environment, arguments));
    }

    private static ProcessStartInfo StartInfo(string workingDirectory, IReadOnlyDictionary<string, string>? environment, string[] arguments)
    {
        var start = new ProcessStartInfo(Executable)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = false,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // `dotnet test` runs this test under MSBuild's environment (MSBuildExtensionsPath, MSBuildSDKsPath, ...);
        // a child `dotnet` must find its own SDK as a developer's would, not inherit the parent's build.
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(name);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        return start;
    }

    private static string Locate()
    {
        var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (!string.IsNullOrEmpty(host) && File.Exists(host))
        {
            return host;
        }

        var name = OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet";
        foreach (var folder in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(folder, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return name; // not found: RunAsync and Start fail with MissingSdk
    }

    /// <summary>A child process's output lines, kept in order, readable while it runs.</summary>
    internal sealed class OutputBuffer
    {
        private readonly StringBuilder _text = new();

        public void Append(string? line)
        {
            if (line is null)
            {
                return;
            }

            lock (_text)
            {
                _text.AppendLine(line);
            }
        }

        /// <summary>The last lines, enough to show why a build failed without flooding the test report.</summary>
        public string Tail(int characters = 6000)
        {
            var text = ToString();
            return text.Length <= characters ? text : "...\n" + text[^characters..];
        }

        public override string ToString()
        {
            lock (_text)
            {
                return _text.ToString();
            }
        }
    }

    /// <summary>A long-running child (the packaged host); disposing it kills the process tree.</summary>
    internal sealed class RunningProcess : IDisposable
    {
        private readonly Process _process;

        public RunningProcess(ProcessStartInfo start)
        {
            _process = new Process { StartInfo = start };
            _process.OutputDataReceived += (_, e) => Output.Append(e.Data);
            _process.ErrorDataReceived += (_, e) => Output.Append(e.Data);
            _process.Start();
            _process.BeginOutputReadLine();
            _process.BeginErrorReadLine();
        }

        public OutputBuffer Output { get; } = new();

        public bool HasExited => _process.HasExited;

        public void Dispose()
        {
            try
            {
                if (!_process.HasExited)
                {
                    _process.Kill(entireProcessTree: true);
                    _process.WaitForExit(TimeSpan.FromSeconds(30));
                }
            }
            finally
            {
                _process.Dispose();
            }
        }
    }
}
