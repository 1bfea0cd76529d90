using System.Reflection;
using System.Text.Json.Serialization;

namespace RxInfer.Hosting.AspNetCore;

/// <summary>The body of <c>GET /info</c>.</summary>
internal sealed record ServerInfoResponse(
    [property: JsonPropertyName("rxinfer_version")] string RxInferVersion,
    [property: JsonPropertyName("server_version")] string ServerVersion,
    [property: JsonPropertyName("server_edition")] string ServerEdition,
    [property: JsonPropertyName("julia_version")] string JuliaVersion,
    [property: JsonPropertyName("api_version")] string ApiVersion);

/// <summary>The values of <c>GET /info</c> that do not depend on the host.</summary>
internal static class ServerInfo
{
    public const string Unknown = "unknown";
    public const string ApiVersion = "v1";

    /// <summary>This package's version (its informational version without build metadata), or <c>unknown</c>.</summary>
    public static readonly string LibraryVersion = ReadVersion();

    private static string ReadVersion()
    {
        var assembly = typeof(ServerInfo).Assembly;
        var informational = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        if (!string.IsNullOrWhiteSpace(informational))
        {
            var plus = informational.IndexOf('+', StringComparison.Ordinal);
            return plus < 0 ? informational : informational[..plus];
        }

        return assembly.GetName().Version?.ToString(3) ?? Unknown;
    }
}
