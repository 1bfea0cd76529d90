using Microsoft.AspNetCore.Cors.Infrastructure;

namespace RxInfer.Server.Cors;

/// <summary>
/// CORS for the sample host with ASP.NET Core's CORS middleware, configured by the original server's variables.
/// A response to a request with an <c>Origin</c> header gets <c>Access-Control-Allow-Origin</c>; a preflight
/// (<c>OPTIONS</c> with <c>Access-Control-Request-Method</c>) is answered 204 by the middleware, before
/// authentication, with <c>Access-Control-Allow-Methods</c> and <c>Access-Control-Allow-Headers</c>, so it needs no token.
/// </summary>
internal static class SampleCors
{
    /// <summary><c>*</c> (the default) or a comma-separated list of origins (<c>https://app.example.com</c>).</summary>
    public const string AllowOriginVariable = "RXINFER_SERVER_CORS_ACCESS_CONTROL_ALLOW_ORIGIN";

    /// <summary>A comma-separated list of methods, or <c>*</c>. Defaults to <see cref="DefaultMethods"/>.</summary>
    public const string AllowMethodsVariable = "RXINFER_SERVER_CORS_ACCESS_CONTROL_ALLOW_METHODS";

    /// <summary>A comma-separated list of request headers, or <c>*</c>. Defaults to <see cref="DefaultHeaders"/>.</summary>
    public const string AllowHeadersVariable = "RXINFER_SERVER_CORS_ACCESS_CONTROL_ALLOW_HEADERS";

    /// <summary>The default of <see cref="AllowOriginVariable"/>: any origin.</summary>
    public const string DefaultOrigin = "*";

    /// <summary>The default of <see cref="AllowMethodsVariable"/>.</summary>
    public const string DefaultMethods = "GET, POST, PUT, DELETE, OPTIONS";

    /// <summary>The default of <see cref="AllowHeadersVariable"/>.</summary>
    public const string DefaultHeaders = "Content-Type, Authorization";

    /// <summary>Adds the default CORS policy from the three variables; a value that cannot be used fails the start.</summary>
    /// <param name="services">The host's services.</param>
    /// <param name="configuration">The host's configuration (environment variables, command line).</param>
    /// <returns>The services.</returns>
    /// <exception cref="InvalidOperationException">A variable holds something that is not a list of origins, methods or header names.</exception>
    public static IServiceCollection AddSampleCors(this IServiceCollection services, IConfiguration configuration)
    {
        var policy = new CorsPolicyBuilder();
        var origins = ReadList(configuration, AllowOriginVariable, DefaultOrigin, IsOrigin, "an origin such as https://app.example.com");
        _ = origins is null ? policy.AllowAnyOrigin() : policy.WithOrigins(origins);
        var methods = ReadList(configuration, AllowMethodsVariable, DefaultMethods, IsToken, "an HTTP method such as GET");
        _ = methods is null ? policy.AllowAnyMethod() : policy.WithMethods(methods);
        var headers = ReadList(configuration, AllowHeadersVariable, DefaultHeaders, IsToken, "a header name such as Authorization");
        _ = headers is null ? policy.AllowAnyHeader() : policy.WithHeaders(headers);

        var built = policy.Build();
        return services.AddCors(options => options.AddDefaultPolicy(built));
    }

    /// <summary>The items of a comma-separated variable, or <see langword="null"/> for <c>*</c> (anything).</summary>
    private static string[]? ReadList(IConfiguration configuration, string variable, string fallback, Func<string, bool> isValid, string expected)
    {
        var value = configuration[variable];
        if (string.IsNullOrWhiteSpace(value))
        {
            value = fallback;
        }

        var items = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (items is ["*"])
        {
            return null;
        }

        var invalid = items.FirstOrDefault(item => !isValid(item));
        if (items.Length == 0 || invalid is not null)
        {
            throw new InvalidOperationException(
                $"{variable} must be * or a comma-separated list where each item is {expected}; '{invalid ?? value}' is not.");
        }

        return items;
    }

    /// <summary>An origin as browsers send it: http or https, a host, an optional port, nothing else.</summary>
    private static bool IsOrigin(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri)
        && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
        && uri.AbsolutePath == "/" && !value.EndsWith('/')
        && string.IsNullOrEmpty(uri.Query) && string.IsNullOrEmpty(uri.Fragment) && string.IsNullOrEmpty(uri.UserInfo);

    /// <summary>An HTTP token (RFC 9110): the characters of a method or a header name.</summary>
    private static bool IsToken(string value) =>
        value.Length > 0 && value.All(static c => char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-.^_`|~".Contains(c, StringComparison.Ordinal));
}
