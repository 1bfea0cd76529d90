namespace RxInfer.Hosting.AspNetCore;

/// <summary>Names shared by the RxInfer ASP.NET Core adapter.</summary>
public static class RxInferDefaults
{
    /// <summary>The name of the bearer authentication scheme: <c>RxInferBearer</c>.</summary>
    public const string AuthenticationScheme = "RxInferBearer";

    /// <summary>The header that carries an API key at <c>POST /token/generate</c>: <c>X-API-Key</c>.</summary>
    public const string ApiKeyHeader = "X-API-Key";

    /// <summary>The default limit of a request body read by the endpoints: 64 KiB.</summary>
    public const long MaxRequestBodySize = 64 * 1024;

    /// <summary>The default <c>server_edition</c> of <c>GET /info</c>: <c>CommunityEdition</c>.</summary>
    public const string ServerEdition = "CommunityEdition";
}
