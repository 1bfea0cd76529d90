using System.Text.Json;
using System.Text.Json.Serialization;

namespace RxInfer.Hosting.AspNetCore;

// The wire shapes of docs/protocol.md, snake_case and exact. Internal: clients speak JSON, not these types.
// Times are UTC DateTime values, which System.Text.Json writes with a Z suffix (clients reject +00:00).

internal sealed record TokenResponse([property: JsonPropertyName("token")] string Token);

internal sealed record RolesResponse([property: JsonPropertyName("roles")] IReadOnlyList<string> Roles);

internal sealed record MessageResponse([property: JsonPropertyName("message")] string Message);

internal sealed record ModelDetailsResponse(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("description")] string Description,
    [property: JsonPropertyName("author")] string Author,
    [property: JsonPropertyName("roles")] IReadOnlyList<string> Roles);

internal sealed record AvailableModelResponse(
    [property: JsonPropertyName("details")] ModelDetailsResponse Details,
    [property: JsonPropertyName("config")] JsonElement Config);

internal sealed record CreateInstanceResponse([property: JsonPropertyName("instance_id")] Guid InstanceId);

internal sealed record ModelInstanceResponse(
    [property: JsonPropertyName("instance_id")] Guid InstanceId,
    [property: JsonPropertyName("model_name")] string ModelName,
    [property: JsonPropertyName("created_at")] DateTime CreatedAt,
    [property: JsonPropertyName("description")] string Description,
    [property: JsonPropertyName("arguments")] JsonElement Arguments,
    [property: JsonPropertyName("current_episode")] string CurrentEpisode);

internal sealed record StateResponse([property: JsonPropertyName("state")] JsonElement State);

/// <summary>The body of <c>POST /models/create-instance</c>; for the OpenAPI document only (the body is read by hand).</summary>
internal sealed record CreateInstanceRequest(
    [property: JsonPropertyName("model_name")] string ModelName,
    [property: JsonPropertyName("arguments")] JsonElement? Arguments,
    [property: JsonPropertyName("description")] string? Description);

// The shapes of the federation endpoints (RFC 8414 metadata, RFC 7517 key set, RFC 7009, RFC 7662).

/// <summary>The issuer's metadata: OpenID Connect discovery's names (RFC 8414).</summary>
internal sealed record DiscoveryDocument(
    [property: JsonPropertyName("issuer")] string Issuer,
    [property: JsonPropertyName("jwks_uri")] string JwksUri,
    [property: JsonPropertyName("revocation_endpoint"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? RevocationEndpoint,
    [property: JsonPropertyName("introspection_endpoint"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? IntrospectionEndpoint,
    [property: JsonPropertyName("id_token_signing_alg_values_supported")] IReadOnlyList<string> IdTokenSigningAlgorithms,
    [property: JsonPropertyName("token_endpoint_auth_signing_alg_values_supported")] IReadOnlyList<string> SigningAlgorithms,
    [property: JsonPropertyName("subject_types_supported")] IReadOnlyList<string> SubjectTypes);

/// <summary>A JSON Web Key Set (RFC 7517 §5).</summary>
internal sealed record JsonWebKeySetResponse([property: JsonPropertyName("keys")] IReadOnlyList<JsonWebKeyResponse> Keys);

/// <summary>The public part of one key (RFC 7517 §4, RFC 7518 §6): RSA (<c>n</c>, <c>e</c>) or EC (<c>crv</c>, <c>x</c>, <c>y</c>).</summary>
internal sealed record JsonWebKeyResponse(
    [property: JsonPropertyName("kty")] string KeyType,
    [property: JsonPropertyName("use")] string Use,
    [property: JsonPropertyName("kid")] string KeyId,
    [property: JsonPropertyName("alg")] string Algorithm,
    [property: JsonPropertyName("n"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Modulus,
    [property: JsonPropertyName("e"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Exponent,
    [property: JsonPropertyName("crv"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Curve,
    [property: JsonPropertyName("x"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? X,
    [property: JsonPropertyName("y"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Y);

/// <summary>The form of <c>POST /token/revoke</c> and <c>POST /token/introspect</c>; for the OpenAPI document only (the form is read by hand).</summary>
internal sealed record TokenParameterRequest(
    [property: JsonPropertyName("token")] string Token,
    [property: JsonPropertyName("token_type_hint")] string? TokenTypeHint);

/// <summary>An OAuth error (RFC 6749 §5.2).</summary>
internal sealed record OAuthErrorResponse(
    [property: JsonPropertyName("error")] string Error,
    [property: JsonPropertyName("error_description")] string Description);

/// <summary>An inactive token (RFC 7662 §2.2): <c>{"active":false}</c> and nothing more.</summary>
internal sealed record InactiveIntrospectionResponse([property: JsonPropertyName("active")] bool Active);

/// <summary>An active token (RFC 7662 §2.2).</summary>
internal sealed record IntrospectionResponse(
    [property: JsonPropertyName("active")] bool Active,
    [property: JsonPropertyName("sub")] string Subject,
    [property: JsonPropertyName("jti")] string TokenId,
    [property: JsonPropertyName("exp"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? ExpiresAt,
    [property: JsonPropertyName("iat"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? IssuedAt,
    [property: JsonPropertyName("scope")] string Scope,
    [property: JsonPropertyName("roles")] IReadOnlyList<string> Roles,
    [property: JsonPropertyName("token_type")] string TokenType);

/// <summary>The body of <c>POST /api-keys</c>; for the OpenAPI document only (the body is read by hand).</summary>
internal sealed record CreateApiKeyRequest(
    [property: JsonPropertyName("subject")] string Subject,
    [property: JsonPropertyName("roles")] IReadOnlyList<string> Roles,
    [property: JsonPropertyName("expires_in")] long? ExpiresIn);

/// <summary>A key just created: its text, shown this once.</summary>
internal sealed record CreatedApiKeyResponse(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("key")] string Key,
    [property: JsonPropertyName("subject")] string Subject,
    [property: JsonPropertyName("roles")] IReadOnlyList<string> Roles,
    [property: JsonPropertyName("expires_at")] DateTimeOffset? ExpiresAt);

/// <summary>A stored key, never its text.</summary>
internal sealed record ApiKeyResponse(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("subject")] string Subject,
    [property: JsonPropertyName("roles")] IReadOnlyList<string> Roles,
    [property: JsonPropertyName("created_at")] DateTimeOffset CreatedAt,
    [property: JsonPropertyName("expires_at")] DateTimeOffset? ExpiresAt);
