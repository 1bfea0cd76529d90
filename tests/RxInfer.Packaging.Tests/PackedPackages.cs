using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;

namespace RxInfer.Packaging.Tests;

/// <summary>
/// Today's packages, packed once per test run by <c>dotnet pack -c Release</c> into a local folder under a
/// fresh temporary folder, with a version of their own (<c>0.0.0-test.&lt;random letters&gt;</c>) that no earlier run
/// and no public feed can have. The build goes to its own artifacts folder, so the repository's <c>bin/</c> and
/// <c>obj/</c> are left alone.
/// </summary>
public sealed class PackedPackages : IAsyncLifetime
{
    private static readonly TimeSpan PackLimit = TimeSpan.FromMinutes(10);

    /// <summary>The version every package was packed with.</summary>
    public string Version { get; } = "0.0.0-test." + RandomNumberGenerator.GetString("abcdefghijklmnopqrstuvwxyz", 12);

    /// <summary>The temporary folder that holds everything these tests write; outside the repository.</summary>
    public string WorkFolder { get; } = Directory.CreateTempSubdirectory("rxinfer-packaging-").FullName;

    /// <summary>The local package folder (a NuGet feed) that <c>dotnet pack -o</c> wrote.</summary>
    public string Feed => Path.Combine(WorkFolder, "feed");

    /// <summary>How long <c>dotnet pack</c> of the packages took.</summary>
    public TimeSpan PackDuration { get; private set; }

    /// <summary>The path of the packed <c>.nupkg</c> of <paramref name="packageId"/>.</summary>
    public string PackagePath(string packageId) => Path.Combine(Feed, $"{packageId}.{Version}.nupkg");

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        var root = RepositoryFiles.Root + Path.DirectorySeparatorChar;
        Assert.False(
            WorkFolder.StartsWith(root, StringComparison.Ordinal),
            $"The temporary folder {WorkFolder} is inside the repository, whose Directory.Build.props and " +
            "Directory.Packages.props the packaged host must not inherit; point TMPDIR elsewhere.");

        // Nothing under the work folder inherits build settings from folders above it (such as a stray
        // Directory.Build.props in the temporary folder's parent).
        foreach (var file in new[] { "Directory.Build.props", "Directory.Build.targets", "Directory.Packages.props" })
        {
            await File.WriteAllTextAsync(Path.Combine(WorkFolder, file), "<Project />\n");
        }

        // A solution filter of the packages: one `dotnet pack` builds them together, each once.
        var filter = Path.Combine(WorkFolder, "packages.slnf");
        await File.WriteAllTextAsync(filter, JsonSerializer.Serialize(new
        {
            solution = new
            {
                path = Path.Combine(RepositoryFiles.Root, "RxInfer.slnx"),
                projects = RepositoryFiles.PackageIds.Select(id => $"src/{id}/{id}.csproj").ToArray(),
            },
        }));

        var dash = Version.IndexOf('-', StringComparison.Ordinal);
        var clock = Stopwatch.StartNew();
        await DotnetCli.RunAsync(
            WorkFolder,
            [
                "pack", filter, "-c", "Release", "-o", Feed,
                "--artifacts-path", Path.Combine(WorkFolder, "artifacts"),
                $"-p:VersionPrefix={Version[..dash]}", $"-p:VersionSuffix={Version[(dash + 1)..]}",
                // Analyzers change no byte of the package and already ran in the solution's own build; skipping
                // them here shortens the pack.
                "-p:RunAnalyzers=false",
                "-nodeReuse:false",
            ],
            PackLimit,
            hint: "Packing src/ failed: run `dotnet pack RxInfer.slnx -c Release` in the repository to see why.");
        PackDuration = clock.Elapsed;
    }

    /// <inheritdoc />
    public Task DisposeAsync()
    {
        try
        {
            Directory.Delete(WorkFolder, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open (a host that would not die) leaves the folder for the system to clean.
        }
        catch (UnauthorizedAccessException)
        {
        }

        return Task.CompletedTask;
    }
}

/// <summary>The test classes that share one pack of the packages.</summary>
[CollectionDefinition(Name)]
public sealed class PackedPackagesCollection : ICollectionFixture<PackedPackages>
{
    /// <summary>The collection's name.</summary>
    public const string Name = "packed packages";
}
