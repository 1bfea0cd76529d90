namespace RxInfer.Auth;

/// <summary>The names of the external issuers registered with <c>AddOpenIdConnectIssuer</c>, in order (one instance per container).</summary>
internal sealed class OpenIdConnectIssuers
{
    public List<string> Names { get; } = [];

    /// <summary>The name of the <see cref="System.Net.Http.HttpClient"/> that fetches the metadata of issuer <paramref name="name"/>.</summary>
    public static string HttpClientName(string name) => "RxInfer.OpenIdConnect." + name;
}
