using System.Xml.Linq;

namespace RxInfer.Packaging.Tests;

/// <summary>One version for all packages, set in one place, and a changelog the next release appends to.</summary>
public sealed class VersionSourceTests
{
    private static readonly string[] VersionProperties =
        ["Version", "VersionPrefix", "VersionSuffix", "PackageVersion", "AssemblyVersion", "FileVersion", "InformationalVersion"];

    [Fact]
    public void Only_the_root_directory_build_props_sets_a_version_and_it_sets_only_the_version_prefix()
    {
        var settings = Directory.EnumerateFiles(RepositoryFiles.Root, "*.*", SearchOption.AllDirectories)
            .Where(path => path.EndsWith(".props", StringComparison.Ordinal)
                || path.EndsWith(".targets", StringComparison.Ordinal)
                || path.EndsWith(".csproj", StringComparison.Ordinal))
            .Where(path => !Path.GetRelativePath(RepositoryFiles.Root, path)
                .Split(Path.DirectorySeparatorChar)
                .Any(folder => folder is "bin" or "obj" or "artifacts" or ".git"))
            .SelectMany(path => XDocument.Load(path).Descendants()
                .Where(e => e.Parent?.Name.LocalName == "PropertyGroup" && VersionProperties.Contains(e.Name.LocalName))
                .Select(e => $"{Path.GetRelativePath(RepositoryFiles.Root, path).Replace('\\', '/')}: {e.Name.LocalName}"))
            .ToList();

        Assert.Equal(["Directory.Build.props: VersionPrefix"], settings);
    }

    [Fact]
    public void Changelog_has_an_unreleased_section_at_the_top()
    {
        var changelog = File.ReadAllLines(Path.Combine(RepositoryFiles.Root, "CHANGELOG.md"));
        var sections = changelog.Where(line => line.StartsWith("## ", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(sections);
        Assert.Equal("## [Unreleased]", sections[0]);
    }
}
