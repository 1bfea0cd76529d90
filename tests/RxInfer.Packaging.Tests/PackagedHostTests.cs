using System.Diagnostics;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Xunit.Abstractions;

namespace RxInfer.Packaging.Tests;

/// <summary>
/// The root README's "Add it to your host" program, compiled in a new project outside the repository that
/// references the packages as packages (from the local feed, at the test's own version, restored into an
/// empty <c>NUGET_PACKAGES</c> folder), run on Kestrel on a free loopback port, and asked for a token.
/// </summary>
[Collection(PackedPackagesCollection.Name)]
public sealed partial class PackagedHostTests(PackedPackages packages, ITestOutputHelper output)
{
    private const string HostName = "PackagedHost";
    private const string ModelName = "packaged-echo-v1";
    private static readonly TimeSpan RestoreLimit = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan BuildLimit = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan StartLimit = TimeSpan.FromMinutes(1);

    [Fact]
    public async Task Readme_host_built_from_the_packed_packages_issues_a_token_that_has_the_user_role()
    {
        var host = Directory.CreateDirectory(Path.Combine(packages.WorkFolder, "host")).FullName;
        var cache = Directory.CreateDirectory(Path.Combine(packages.WorkFolder, "nuget-packages")).FullName;
        Assert.Empty(Directory.EnumerateFileSystemEntries(cache));
        await WriteHostAsync(host);

        // Only this folder serves packages to the host: a package restored by an earlier run (or by the
        // repository's own build) can never stand in for the one packed today.
        var environment = new Dictionary<string, string> { ["NUGET_PACKAGES"] = cache };

        var clock = Stopwatch.StartNew();
        await DotnetCli.RunAsync(
            host, ["restore", "-nodeReuse:false"], RestoreLimit, environment,
            $"The host restores RxInfer.* from {packages.Feed} and everything else from the package sources of this " +
            "machine's NuGet configuration (`dotnet nuget list source`).");
        var restore = clock.Elapsed;

        foreach (var id in RepositoryFiles.PackageIds)
        {
            var restored = Path.Combine(cache, id.ToLowerInvariant(), packages.Version, ".nupkg.metadata");
            Assert.True(File.Exists(restored), $"{id} {packages.Version} was not restored into {cache}");
            using var metadata = JsonDocument.Parse(await File.ReadAllTextAsync(restored));
            Assert.Equal(
                Path.TrimEndingDirectorySeparator(packages.Feed),
                Path.TrimEndingDirectorySeparator(metadata.RootElement.GetProperty("source").GetString()!));
        }

        clock.Restart();
        await DotnetCli.RunAsync(host, ["build", "--no-restore", "-c", "Release", "-nodeReuse:false"], BuildLimit, environment);
        var build = clock.Elapsed;
        var bin = Path.Combine(host, "bin", "Release", "net10.0");

        // The host runs the very assemblies that were packed.
        foreach (var id in RepositoryFiles.PackageIds)
        {
            using var package = ZipFile.OpenRead(packages.PackagePath(id));
            using var packed = new MemoryStream();
            using (var entry = package.GetEntry($"lib/net10.0/{id}.dll")!.Open())
            {
                await entry.CopyToAsync(packed);
            }

            var built = await File.ReadAllBytesAsync(Path.Combine(bin, $"{id}.dll"));
            Assert.True(
                packed.ToArray().SequenceEqual(built),
                $"{id}.dll in the host's output is not the one in {packages.PackagePath(id)}");
        }

        clock.Restart();
        using var running = DotnetCli.Start(host, [Path.Combine(bin, $"{HostName}.dll"), "--urls", "http://127.0.0.1:0"], environment);
        var address = await WaitForAddressAsync(running);
        var start = clock.Elapsed;
        output.WriteLine(
            $"pack {packages.PackDuration.TotalSeconds:F1} s, restore into an empty NUGET_PACKAGES {restore.TotalSeconds:F1} s, " +
            $"build {build.TotalSeconds:F1} s, start {start.TotalSeconds:F1} s");

        using var client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };

        var generated = await client.PostAsync(new Uri("/v1/token/generate", UriKind.Relative), content: null);
        Assert.Equal(HttpStatusCode.OK, generated.StatusCode);
        using var body = JsonDocument.Parse(await generated.Content.ReadAsStringAsync());
        var token = body.RootElement.GetProperty("token").GetString();
        Assert.False(string.IsNullOrEmpty(token), "POST /v1/token/generate answered without a token");

        using var roles = new HttpRequestMessage(HttpMethod.Get, new Uri("/v1/token/roles", UriKind.Relative));
        roles.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var answered = await client.SendAsync(roles);
        Assert.Equal(HttpStatusCode.OK, answered.StatusCode);
        Assert.Equal("""{"roles":["user"]}""", await answered.Content.ReadAsStringAsync());

        // Without the token the scheme from the package challenges; with it the catalogue from RxInfer.Models
        // lists the model read from the host's models folder (YAML, through the packages' own dependencies).
        var anonymous = await client.GetAsync(new Uri("/v1/token/roles", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        using var models = new HttpRequestMessage(HttpMethod.Get, new Uri("/v1/models/available", UriKind.Relative));
        models.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var listed = JsonDocument.Parse(await (await client.SendAsync(models)).Content.ReadAsStringAsync());
        Assert.Equal<string?>([ModelName], listed.RootElement.EnumerateArray().Select(m => m.GetProperty("details").GetProperty("name").GetString()));
    }

    private async Task WriteHostAsync(string host)
    {
        // No Directory.Build.props, Directory.Build.targets or central package versions from any folder above.
        foreach (var file in new[] { "Directory.Build.props", "Directory.Build.targets", "Directory.Packages.props" })
        {
            await File.WriteAllTextAsync(Path.Combine(host, file), "<Project />\n");
        }

        var project = new XElement("Project",
            new XAttribute("Sdk", "Microsoft.NET.Sdk.Web"),
            new XElement("PropertyGroup",
                new XElement("TargetFramework", "net10.0"),
                new XElement("Nullable", "enable"),
                new XElement("ImplicitUsings", "enable"),
                new XElement("TreatWarningsAsErrors", "true"),
                new XElement("ManagePackageVersionsCentrally", "false")),
            new XElement("ItemGroup",
                RepositoryFiles.PackageIds.Select(id => new XElement("PackageReference",
                    new XAttribute("Include", id),
                    new XAttribute("Version", $"[{packages.Version}]")))));
        await File.WriteAllTextAsync(Path.Combine(host, $"{HostName}.csproj"), project.ToString());

        // The sources are this local folder plus whatever the machine's NuGet configuration (user and
        // machine-wide files) already lists: no <clear />, so NuGet merges those files with this one.
        var config = new XElement("configuration",
            new XElement("packageSources",
                new XElement("add", new XAttribute("key", "rxinfer-packed-today"), new XAttribute("value", packages.Feed))));
        await File.WriteAllTextAsync(Path.Combine(host, "NuGet.config"), config.ToString());

        await File.WriteAllTextAsync(Path.Combine(host, "Program.cs"), RepositoryFiles.ReadHostExample());

        var model = Directory.CreateDirectory(Path.Combine(host, "models", ModelName)).FullName;
        await File.WriteAllTextAsync(
            Path.Combine(model, "config.yaml"),
            $"name: {ModelName}\ndescription: Returns its arguments\nauthor: RxInfer.Packaging.Tests\nroles: [user]\n");
    }

    private static async Task<Uri> WaitForAddressAsync(DotnetCli.RunningProcess running)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < StartLimit)
        {
            var listening = ListeningLine().Match(running.Output.ToString());
            if (listening.Success)
            {
                return new Uri(listening.Groups["address"].Value);
            }

            Assert.False(running.HasExited, $"The packaged host stopped before listening. Its output:\n{running.Output.Tail()}");
            await Task.Delay(100);
        }

        throw new Xunit.Sdk.XunitException(
            $"The packaged host did not report its address within {StartLimit}. Its output:\n{running.Output.Tail()}");
    }

    [GeneratedRegex(@"Now listening on: (?<address>http://127\.0\.0\.1:[0-9]+)")]
    private static partial Regex ListeningLine();
}
