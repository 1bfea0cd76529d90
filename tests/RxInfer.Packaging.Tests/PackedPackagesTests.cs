using System.IO.Compression;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Xml.Linq;
using Xunit.Abstractions;

namespace RxInfer.Packaging.Tests;

/// <summary>What <c>dotnet pack</c> puts in each package: version, metadata, README, XML docs and symbols.</summary>
[Collection(PackedPackagesCollection.Name)]
public sealed class PackedPackagesTests(PackedPackages packages, ITestOutputHelper output)
{
    // The kind of custom debug information that holds a source file inside a portable PDB
    // (https://github.com/dotnet/runtime/blob/main/docs/design/specs/PortablePdb-Metadata.md#embedded-source-c-and-vb-compilers).
    private static readonly Guid EmbeddedSource = new("0E8A571B-6926-466E-B4AD-8AB04611F5FE");

    [Fact]
    public void Pack_writes_one_package_of_each_project_with_the_version_given_on_the_command_line_and_no_symbol_package()
    {
        output.WriteLine($"dotnet pack of the packages: {packages.PackDuration.TotalSeconds:F1} s");
        var expected = RepositoryFiles.PackageIds.Select(id => $"{id}.{packages.Version}.nupkg").Order(StringComparer.Ordinal);
        var written = Directory.GetFiles(packages.Feed).Select(Path.GetFileName).Order(StringComparer.Ordinal);
        Assert.Equal(expected, written);
    }

    [Theory]
    [MemberData(nameof(PackageIds))]
    public void Package_carries_its_id_version_license_readme_and_xml_docs(string packageId)
    {
        using var package = ZipFile.OpenRead(packages.PackagePath(packageId));
        var metadata = ReadNuspec(package, packageId).Root!.Elements().Single(e => e.Name.LocalName == "metadata");
        string? Field(string name) => metadata.Elements().SingleOrDefault(e => e.Name.LocalName == name)?.Value;

        Assert.Equal(packageId, Field("id"));
        Assert.Equal(packages.Version, Field("version"));
        Assert.False(string.IsNullOrWhiteSpace(Field("description")), $"{packageId} has no description");
        var license = metadata.Elements().Single(e => e.Name.LocalName == "license");
        Assert.Equal("expression", license.Attribute("type")?.Value);
        Assert.Equal("MIT", license.Value);
        Assert.Equal("README.md", Field("readme"));

        // The README in the package is the package's own README, as written in src/.
        var readme = File.ReadAllText(Path.Combine(RepositoryFiles.Root, "src", packageId, "README.md"));
        Assert.Equal(readme, ReadText(package, "README.md"));

        // The XML documentation file sits beside the assembly, so IntelliSense shows the docs to users.
        var docs = XDocument.Parse(ReadText(package, $"lib/net10.0/{packageId}.xml"));
        Assert.Equal(packageId, docs.Root!.Element("assembly")?.Element("name")?.Value);
        Assert.NotEmpty(docs.Root.Element("members")!.Elements("member"));
    }

    [Theory]
    [MemberData(nameof(PackageIds))]
    public void Package_assembly_embeds_its_pdb_with_the_sources(string packageId)
    {
        using var package = ZipFile.OpenRead(packages.PackagePath(packageId));
        using var assembly = new MemoryStream();
        using (var entry = Entry(package, $"lib/net10.0/{packageId}.dll").Open())
        {
            entry.CopyTo(assembly);
        }

        assembly.Position = 0;
        using var pe = new PEReader(assembly);
        var embedded = pe.ReadDebugDirectory().Where(d => d.Type == DebugDirectoryEntryType.EmbeddedPortablePdb).ToList();
        Assert.True(embedded.Count == 1, $"{packageId}.dll has no embedded portable PDB (DebugType=embedded in src/Directory.Build.props)");

        using var pdbProvider = pe.ReadEmbeddedPortablePdbDebugDirectoryData(embedded[0]);
        var pdb = pdbProvider.GetMetadataReader();
        var documents = pdb.Documents.Count;
        var withSource = pdb.CustomDebugInformation
            .Select(pdb.GetCustomDebugInformation)
            .Count(info => info.Parent.Kind == HandleKind.Document && pdb.GetGuid(info.Kind) == EmbeddedSource);
        Assert.True(documents > 0, $"{packageId}'s PDB lists no source documents");
        Assert.True(
            withSource == documents,
            $"{packageId}'s PDB embeds {withSource} of its {documents} source files (EmbedAllSources in src/Directory.Build.props)");
    }

    [Fact]
    public void Hosting_package_depends_on_auth_and_models_of_its_own_version()
    {
        using var package = ZipFile.OpenRead(packages.PackagePath("RxInfer.Hosting.AspNetCore"));
        var dependencies = ReadNuspec(package, "RxInfer.Hosting.AspNetCore").Descendants()
            .Where(e => e.Name.LocalName == "dependency")
            .ToDictionary(e => e.Attribute("id")!.Value, e => e.Attribute("version")!.Value, StringComparer.Ordinal);

        Assert.Equal(packages.Version, dependencies.GetValueOrDefault("RxInfer.Auth"));
        Assert.Equal(packages.Version, dependencies.GetValueOrDefault("RxInfer.Models"));
    }

    public static TheoryData<string> PackageIds() => new(RepositoryFiles.PackageIds);

    private static XDocument ReadNuspec(ZipArchive package, string packageId) => XDocument.Parse(ReadText(package, $"{packageId}.nuspec"));

    private static string ReadText(ZipArchive package, string path)
    {
        using var reader = new StreamReader(Entry(package, path).Open());
        return reader.ReadToEnd();
    }

    private static ZipArchiveEntry Entry(ZipArchive package, string path) =>
        package.GetEntry(path)
        ?? throw new Xunit.Sdk.XunitException(
            $"{path} is missing from the package; it holds: {string.Join(", ", package.Entries.Select(e => e.FullName))}");
}
