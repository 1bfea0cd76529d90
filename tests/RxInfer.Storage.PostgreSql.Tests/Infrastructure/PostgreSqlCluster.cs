using System.Diagnostics;
using System.Globalization;
using Npgsql;

namespace RxInfer.Storage.PostgreSql.Tests.Infrastructure;

/// <summary>
/// A throwaway PostgreSQL cluster: <c>initdb</c> into a new temporary folder, <c>pg_ctl start</c> on a free
/// loopback port, and on <see cref="DisposeAsync"/> <c>pg_ctl stop</c> and the folder removed. The binaries come
/// from <c>PATH</c> or <c>/usr/lib/postgresql/*/bin</c> (the newest). PostgreSQL refuses to run as root, so under
/// root every command runs as the <c>postgres</c> system user (<c>runuser -u postgres --</c>), which owns the folder.
/// </summary>
internal sealed class PostgreSqlCluster : IAsyncDisposable
{
    /// <summary>What to do when PostgreSQL is missing, in every failure message.</summary>
    public const string InstallHint =
        "Install PostgreSQL (Debian/Ubuntu: `apt-get install postgresql`, which .ci/run does when initdb is missing; " +
        "the binaries are looked up on PATH and in /usr/lib/postgresql/*/bin), or set " + PostgreSqlServer.ConnectionStringVariable +
        " to the connection string of a server where the user may create databases.";

    private const string SystemUser = "postgres";
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromMinutes(2);

    private readonly string _binaries;
    private readonly bool _runAsPostgres;
    private int _disposed;

    private PostgreSqlCluster(string binaries, bool runAsPostgres, string folder, int port)
    {
        _binaries = binaries;
        _runAsPostgres = runAsPostgres;
        Folder = folder;
        Port = port;
    }

    /// <summary>The cluster's folder (data in <c>data/</c>, the server log in <c>server.log</c>, the socket here).</summary>
    public string Folder { get; }

    /// <summary>The loopback port the server listens on.</summary>
    public int Port { get; }

    /// <summary>A connection string for the superuser to the <c>postgres</c> database.</summary>
    public string AdminConnectionString => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = Port,
        Username = SystemUser,
        Database = "postgres",
        Pooling = false,
    }.ConnectionString;

    private string DataFolder => Path.Combine(Folder, "data");

    /// <summary>Creates and starts a cluster, or fails with <see cref="InstallHint"/> when PostgreSQL is missing.</summary>
    public static async Task<PostgreSqlCluster> StartAsync()
    {
        var binaries = FindBinaries() ?? throw new InvalidOperationException("PostgreSQL's initdb and pg_ctl were not found. " + InstallHint);
        var runAsPostgres = string.Equals(Environment.UserName, "root", StringComparison.Ordinal);
        string folder;
        if (runAsPostgres)
        {
            // /tmp rather than $TMPDIR, which may be a folder the postgres user cannot enter.
            var made = await RunAsync(runAsPostgres: true, "mktemp", ["-d", "/tmp/rxinfer-pg-XXXXXXXX"]);
            folder = made.Trim();
        }
        else
        {
            folder = Directory.CreateTempSubdirectory("rxinfer-pg-").FullName;
        }

        var cluster = new PostgreSqlCluster(binaries, runAsPostgres, folder, RxInfer.Testing.TestPorts.FreeLoopbackPort());
        try
        {
            cluster.StartWatchdog();
            await cluster.RunToolAsync("initdb", ["-D", cluster.DataFolder, "-U", SystemUser, "--auth=trust", "--encoding=UTF8", "--locale=C", "--no-sync"]);
            await cluster.StartServerAsync();
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts the server (again), waiting until it accepts connections.</summary>
    public Task StartServerAsync() => RunToolAsync("pg_ctl", [
        "start", "-D", DataFolder, "-w", "-t", "60", "-l", Path.Combine(Folder, "server.log"),
        "-o", string.Create(CultureInfo.InvariantCulture,
            $"-p {Port} -k {Folder} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off -c max_connections=300"),
    ]);

    /// <summary>Stops the server with the given mode (<c>fast</c>, or <c>immediate</c> as in a crash).</summary>
    public Task StopServerAsync(string mode = "fast") => RunToolAsync("pg_ctl", ["stop", "-D", DataFolder, "-w", "-t", "60", "-m", mode]);

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        try
        {
            if (File.Exists(Path.Combine(DataFolder, "postmaster.pid")))
            {
                await StopServerAsync("immediate");
            }
        }
        finally
        {
            Directory.Delete(Folder, recursive: true);
        }
    }

    /// <summary>Stops and removes the cluster synchronously (for process exit, where nothing can be awaited).</summary>
    public void DisposeAtExit() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    /// <summary>
    /// Starts a shell that outlives this process if it is killed: once this process is gone it stops the server and
    /// removes the folder, so no cluster is left behind whatever way the test run ends.
    /// </summary>
    private void StartWatchdog()
    {
        var pgCtl = Path.Combine(_binaries, "pg_ctl");
        var stop = _runAsPostgres ? $"runuser -u {SystemUser} -- '{pgCtl}'" : $"'{pgCtl}'";
        var script = string.Create(CultureInfo.InvariantCulture,
            $"while [ -d /proc/{Environment.ProcessId} ]; do sleep 1; done; {stop} stop -D '{DataFolder}' -m immediate; rm -rf '{Folder}'");
        var start = new ProcessStartInfo("sh")
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add($"({script}) </dev/null >/dev/null 2>&1 &");
        using var launcher = Process.Start(start) ?? throw new InvalidOperationException("Could not start the clean-up watchdog (sh).");
        launcher.WaitForExit();
    }

    private Task<string> RunToolAsync(string tool, IReadOnlyList<string> arguments) =>
        RunAsync(_runAsPostgres, Path.Combine(_binaries, tool), arguments);

    private static async Task<string> RunAsync(bool runAsPostgres, string program, IReadOnlyList<string> arguments)
    {
        var start = new ProcessStartInfo
        {
            FileName = runAsPostgres ? "runuser" : program,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
        };
        if (runAsPostgres)
        {
            foreach (var argument in (string[])["-u", SystemUser, "--", program])
            {
                start.ArgumentList.Add(argument);
            }
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {program}. " + InstallHint);
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(CommandTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"{Path.GetFileName(program)} did not finish within {CommandTimeout}.");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"{Path.GetFileName(program)} {string.Join(' ', arguments)} failed with exit code {process.ExitCode}: {await error}{await output}");
        }

        return await output;
    }

    /// <summary>The folder holding both <c>initdb</c> and <c>pg_ctl</c>: on <c>PATH</c> first, then the newest of <c>/usr/lib/postgresql/*/bin</c>.</summary>
    private static string? FindBinaries()
    {
        var candidates = (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .ToList();
        if (Directory.Exists("/usr/lib/postgresql"))
        {
            candidates.AddRange(Directory.GetDirectories("/usr/lib/postgresql")
                .OrderByDescending(static path => int.TryParse(Path.GetFileName(path), CultureInfo.InvariantCulture, out var version) ? version : 0)
                .Select(static path => Path.Combine(path, "bin")));
        }

        return candidates.FirstOrDefault(static folder => File.Exists(Path.Combine(folder, "initdb")) && File.Exists(Path.Combine(folder, "pg_ctl")));
    }
}
