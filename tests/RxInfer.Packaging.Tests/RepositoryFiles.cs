namespace RxInfer.Packaging.Tests;

/// <summary>Files of the repository these tests read: the solution's folder and the root README.</summary>
internal static class RepositoryFiles
{
    /// <summary>The packages, by id; each is the project <c>src/&lt;id&gt;/&lt;id&gt;.csproj</c>.</summary>
    public static readonly string[] PackageIds = ["RxInfer.Auth", "RxInfer.Models", "RxInfer.Hosting.AspNetCore", "RxInfer.Storage.PostgreSql"];

    /// <summary>The heading of the root README's host example, which the packaged-host test compiles.</summary>
    public const string HostExampleHeading = "## Add it to your host";

    /// <summary>The folder that holds <c>RxInfer.slnx</c>, found upwards from the test's output folder.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>
    /// The first <c>```csharp</c> block under <see cref="HostExampleHeading"/> in the root README: the program a
    /// reader copies into a new host. The test compiles exactly this text, so README and test cannot drift apart.
    /// </summary>
    public static string ReadHostExample()
    {
        var readme = File.ReadAllText(Path.Combine(Root, "README.md")).ReplaceLineEndings("\n");
        var heading = readme.IndexOf("\n" + HostExampleHeading + "\n", StringComparison.Ordinal);
        Assert.True(heading >= 0, $"README.md has no '{HostExampleHeading}' section; the packaging test compiles its C# example.");
        const string Fence = "```csharp\n";
        var start = readme.IndexOf(Fence, heading, StringComparison.Ordinal);
        var nextHeading = readme.IndexOf("\n## ", heading + 1, StringComparison.Ordinal);
        Assert.True(
            start >= 0 && (nextHeading < 0 || start < nextHeading),
            $"README.md's '{HostExampleHeading}' section has no ```csharp block; the packaging test compiles it.");
        start += Fence.Length;
        var end = readme.IndexOf("```", start, StringComparison.Ordinal);
        Assert.True(end > start, $"README.md's '{HostExampleHeading}' C# block is not closed.");
        return readme[start..end];
    }

    private static string FindRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "RxInfer.slnx")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException($"No RxInfer.slnx above {AppContext.BaseDirectory}: run the tests from the repository.");
    }
}
