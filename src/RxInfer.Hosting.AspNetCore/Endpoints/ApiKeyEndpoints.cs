using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using RxInfer.Auth;
using RxInfer.Hosting.AspNetCore;

namespace Microsoft.AspNetCore.Routing;

public static partial class RxInferEndpointRouteBuilderExtensions
{
    private const string ApiKeysTag = "API keys";
    private const int MaxSubjectLength = 256;
    private const int MaxRoles = 32;
    private const int MaxRoleLength = 128;

    /// <summary>The longest lifetime a key may be created with over HTTP: ten years.</summary>
    private static readonly TimeSpan MaxApiKeyLifetime = TimeSpan.FromDays(3650);

    /// <summary>
    /// Maps API key management for callers with <see cref="RxInferEndpointOptions.AdminRole"/> (403 for anyone else):
    /// <c>POST /api-keys</c> <c>{"subject","roles",["expires_in"]}</c> creates a key and shows its text this once;
    /// <c>GET /api-keys[?subject=]</c> lists keys (id, subject, roles, created, expiry; never the key);
    /// <c>DELETE /api-keys/{key_id}</c> revokes one.
    /// </summary>
    /// <param name="endpoints">The route builder (for example <c>app.MapGroup("/v1")</c>).</param>
    /// <returns>A builder to add conventions to these endpoints.</returns>
    public static IEndpointConventionBuilder MapRxInferApiKeys(this IEndpointRouteBuilder endpoints)
    {
        var group = CreateGroup(endpoints, out var options);
        var admin = Policy(group, options, options.AdminRole);
        group.MapPost("/api-keys", CreateApiKeyAsync)
            .WithName("createApiKey")
            .WithTags(ApiKeysTag)
            .WithSummary("Create an API key (its text is shown once)")
            .Accepts<CreateApiKeyRequest>("application/json", "*/*")
            .RequireAuthorization(admin)
            .ProducesUnauthorized()
            .ProducesError(StatusCodes.Status403Forbidden);
        group.MapGet("/api-keys", ListApiKeysAsync)
            .WithName("listApiKeys")
            .WithTags(ApiKeysTag)
            .WithSummary("List API keys (never their text)")
            .RequireAuthorization(admin)
            .ProducesUnauthorized()
            .ProducesError(StatusCodes.Status403Forbidden);
        group.MapDelete("/api-keys/{key_id}", RevokeApiKeyAsync)
            .WithName("revokeApiKey")
            .WithTags(ApiKeysTag)
            .WithSummary("Revoke an API key")
            .RequireAuthorization(admin)
            .ProducesUnauthorized()
            .ProducesError(StatusCodes.Status403Forbidden);
        return new RxInferConventionBuilder(group);
    }

    private static async Task<Results<Ok<CreatedApiKeyResponse>, BadRequestError>> CreateApiKeyAsync(
        HttpContext context,
        [FromServices] IApiKeyService apiKeys,
        [FromServices] IOptions<RxInferEndpointOptions> options)
    {
        ForbidCaching(context.Response);
        var (body, error) = await JsonBody.ReadObjectAsync(context.Request, options.Value.MaxRequestBodySize, context.RequestAborted).ConfigureAwait(false);
        if (error is not null)
        {
            return ErrorResults.BadRequest(error);
        }

        if (!body.TryGetProperty("subject", out var subjectValue) || subjectValue.ValueKind != JsonValueKind.String)
        {
            return ErrorResults.BadRequest("The field `subject` is required and must be a string");
        }

        var subject = subjectValue.GetString()!;
        if (!IsName(subject, MaxSubjectLength))
        {
            return ErrorResults.BadRequest($"The field `subject` must be 1 to {MaxSubjectLength} characters without control characters");
        }

        if (!body.TryGetProperty("roles", out var rolesValue) || rolesValue.ValueKind != JsonValueKind.Array)
        {
            return ErrorResults.BadRequest("The field `roles` is required and must be an array of strings");
        }

        var roles = new List<string>();
        foreach (var role in rolesValue.EnumerateArray())
        {
            if (role.ValueKind != JsonValueKind.String || !IsName(role.GetString()!, MaxRoleLength))
            {
                return ErrorResults.BadRequest($"Every role must be a string of 1 to {MaxRoleLength} characters without control characters");
            }

            roles.Add(role.GetString()!);
        }

        if (roles.Count is 0 or > MaxRoles)
        {
            return ErrorResults.BadRequest($"The field `roles` must hold 1 to {MaxRoles} roles");
        }

        TimeSpan? lifetime = null;
        if (body.TryGetProperty("expires_in", out var expiresIn) && expiresIn.ValueKind != JsonValueKind.Null)
        {
            if (expiresIn.ValueKind != JsonValueKind.Number || !expiresIn.TryGetInt64(out var seconds) || seconds <= 0 || seconds > (long)MaxApiKeyLifetime.TotalSeconds)
            {
                return ErrorResults.BadRequest($"The field `expires_in` must be a whole number of seconds from 1 to {(long)MaxApiKeyLifetime.TotalSeconds}");
            }

            lifetime = TimeSpan.FromSeconds(seconds);
        }

        var issued = await apiKeys.CreateAsync(subject, roles, lifetime, context.RequestAborted).ConfigureAwait(false);
        var identity = issued.Identity;
        return TypedResults.Ok(new CreatedApiKeyResponse(identity.TokenId, issued.Token, identity.Subject, identity.Roles, ExpiresAt(identity.ExpiresAt)));
    }

    private static async Task<Results<Ok<ApiKeyResponse[]>, BadRequestError>> ListApiKeysAsync(
        HttpContext context,
        [FromServices] IApiKeyService apiKeys)
    {
        var subjects = context.Request.Query["subject"];
        if (subjects.Count > 1)
        {
            return ErrorResults.BadRequest("The query parameter `subject` must be given at most once");
        }

        var subject = subjects.Count == 1 ? subjects[0] : null;
        if (subject is not null && !IsName(subject, MaxSubjectLength))
        {
            return ErrorResults.BadRequest($"The query parameter `subject` must be 1 to {MaxSubjectLength} characters without control characters");
        }

        var keys = await apiKeys.ListAsync(subject, context.RequestAborted).ConfigureAwait(false);
        return TypedResults.Ok(keys.Select(static k => new ApiKeyResponse(k.Id, k.Subject, k.Roles, k.CreatedAt, ExpiresAt(k.ExpiresAt))).ToArray());
    }

    private static async Task<Results<Ok<MessageResponse>, NotFoundError>> RevokeApiKeyAsync(
        HttpContext context,
        [FromRoute(Name = "key_id")] string keyId,
        [FromServices] IApiKeyService apiKeys) =>
        await apiKeys.RevokeAsync(keyId, context.RequestAborted).ConfigureAwait(false)
            ? TypedResults.Ok(new MessageResponse("API key revoked"))
            : ErrorResults.NotFound("The requested API key could not be found");

    private static DateTimeOffset? ExpiresAt(DateTimeOffset expiresAt) => expiresAt == TokenIdentity.NeverExpires ? null : expiresAt;

    /// <summary>Non-empty, at most <paramref name="maxLength"/> characters, no control characters (valid Unicode is checked by the body reader).</summary>
    private static bool IsName(string text, int maxLength) =>
        text.Length > 0 && text.Length <= maxLength && !text.AsSpan().ContainsAnyInRange('\u0000', '\u001F') && !text.Contains('\u007F', StringComparison.Ordinal)
        && !text.AsSpan().ContainsAnyInRange('\u0080', '\u009F');
}
