using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace RxInfer.Hosting.AspNetCore;

/// <summary>The contract's error texts and the one way error bodies are written.</summary>
internal static class RxInferErrors
{
    public const string BadRequest = "Bad Request";
    public const string Unauthorized = "Unauthorized";
    public const string NotFound = "Not Found";

    public const string UnauthorizedMessage = "The request requires authentication, generate a token using the /token/generate endpoint";
    public const string DevelopmentTokenSuffix = " or use the development token `dev-token`";
    public const string ForbiddenMessage = "The token does not grant access to this resource";
    public const string ResourceNotFound = "The requested resource could not be found";
    public const string InvalidJson = "The request body is not valid JSON";
    public const string BodyNotObject = "The request body must be a JSON object";
    public const string BodyMissing = "The request body is empty, a JSON object is required";
    public const string InvalidText = "The request body contains text that is not valid Unicode (malformed UTF-8 or an unpaired surrogate escape)";
    public const string WrongContentType = "The request body must have Content-Type application/json";

    // Relaxed escaping: the bodies are application/json, never HTML, and clients compare messages such as
    // "The requested model name `x` could not be found" as text, so backticks are written as backticks.
    private static readonly JsonSerializerOptions SerializerOptions = new(JsonSerializerDefaults.Web)
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static string BodyTooLarge(long limit) => $"The request body is larger than the limit of {limit} bytes";

    public static string UnauthorizedText(bool developmentTokenEnabled) =>
        developmentTokenEnabled ? UnauthorizedMessage + DevelopmentTokenSuffix : UnauthorizedMessage;

    /// <summary>The <c>error</c> text of a status code: the contract's texts for 400, 401 and 404, the reason phrase otherwise.</summary>
    public static string ErrorName(int statusCode) => statusCode switch
    {
        StatusCodes.Status400BadRequest => BadRequest,
        StatusCodes.Status401Unauthorized => Unauthorized,
        StatusCodes.Status404NotFound => NotFound,
        _ => ReasonPhrases.GetReasonPhrase(statusCode) is { Length: > 0 } phrase ? phrase : "Error",
    };

    public static Task WriteAsync(HttpResponse response, int statusCode, string message)
    {
        response.StatusCode = statusCode;
        response.Headers.CacheControl = "no-store";
        return response.WriteAsJsonAsync(new ErrorResponse(ErrorName(statusCode), message), SerializerOptions, contentType: "application/json", response.HttpContext.RequestAborted);
    }

    public static bool IsJson(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var parsed)
        && (parsed.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || (parsed.Suffix.Equals("json", StringComparison.OrdinalIgnoreCase) && parsed.Type.Equals("application", StringComparison.OrdinalIgnoreCase)))
        && (parsed.Charset.Length == 0 || parsed.Charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase));
}
