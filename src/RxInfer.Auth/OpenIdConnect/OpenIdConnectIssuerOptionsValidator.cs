using Microsoft.Extensions.Options;

namespace RxInfer.Auth;

/// <summary>The simple rules of <see cref="OpenIdConnectIssuerOptions"/>, from its data annotations (generated).</summary>
[OptionsValidator]
internal sealed partial class OpenIdConnectIssuerOptionsValidator : IValidateOptions<OpenIdConnectIssuerOptions>;

/// <summary>
/// The rules of <see cref="OpenIdConnectIssuerOptions"/> that span fields or need parsing: absolute addresses, HTTPS
/// when required, the algorithm allow-list, role names. Messages name the option; none holds a secret (there is none).
/// </summary>
/// <param name="issuers">The registered names: options of other names are not this validator's.</param>
/// <param name="jwtOptions">Our own JWT provider's options, read only when it is chosen.</param>
/// <param name="jwtValidators">The validators of those options: ours among them means <c>AddJwtTokens()</c> was called.</param>
/// <param name="setups">The configuration of every issuer's options, to read the other issuers' <c>iss</c> without
/// validating them (validating another name from here would validate this one again, without end).</param>
/// <param name="postSetups">The post-configuration of every issuer's options, for the same.</param>
internal sealed class OpenIdConnectIssuerOptionsCrossValidator(
    OpenIdConnectIssuers issuers,
    IOptionsMonitor<JwtTokenOptions> jwtOptions,
    IEnumerable<IValidateOptions<JwtTokenOptions>> jwtValidators,
    IEnumerable<IConfigureOptions<OpenIdConnectIssuerOptions>> setups,
    IEnumerable<IPostConfigureOptions<OpenIdConnectIssuerOptions>> postSetups) : IValidateOptions<OpenIdConnectIssuerOptions>
{
    private readonly OptionsFactory<OpenIdConnectIssuerOptions> _unvalidated = new(setups, postSetups);

    public ValidateOptionsResult Validate(string? name, OpenIdConnectIssuerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (name is null || !issuers.Names.Contains(name))
        {
            return ValidateOptionsResult.Skip;
        }

        var section = $"RxInfer:Auth:OpenIdConnect:{name}";
        var errors = new List<string>();
        CheckAddress(options.Authority, nameof(options.Authority));
        if (options.MetadataAddress is not null)
        {
            CheckAddress(options.MetadataAddress, nameof(options.MetadataAddress));
        }

        if (options.Issuer is not null && (options.Issuer.Length == 0 || !TokenOwner.IsValidSubject(options.Issuer)))
        {
            errors.Add($"{section}:Issuer must be non-empty text without control characters when set.");
        }

        // Routing is by iss: an external issuer with our own JWT issuer's iss would take every token of ours.
        var routedIssuer = RoutedIssuer(options);
        if (routedIssuer is not null
            && jwtValidators.OfType<JwtTokenOptionsValidator>().Any()
            && string.Equals(routedIssuer, jwtOptions.CurrentValue.Issuer.TrimEnd('/'), StringComparison.Ordinal))
        {
            errors.Add($"{section}:Issuer (or Authority) must differ from RxInfer:Auth:Jwt:Issuer ('{jwtOptions.CurrentValue.Issuer}'): tokens are routed by their iss.");
        }

        // Two registrations of one iss: only the first would ever see a token, the second's settings silently unused.
        if (routedIssuer is not null)
        {
            foreach (var other in issuers.Names)
            {
                if (other != name && string.Equals(routedIssuer, RoutedIssuer(_unvalidated.Create(other)), StringComparison.Ordinal))
                {
                    errors.Add($"{section}:Issuer (or Authority) '{routedIssuer}' is the issuer of RxInfer:Auth:OpenIdConnect:{other} too: tokens are routed by their iss, so register each issuer once.");
                }
            }
        }

        foreach (var algorithm in options.Algorithms ?? [])
        {
            if (!OpenIdConnectIssuerOptions.SupportedAlgorithms.Contains(algorithm, StringComparer.Ordinal))
            {
                errors.Add($"{section}:Algorithms may hold only {string.Join(", ", OpenIdConnectIssuerOptions.SupportedAlgorithms)} (never none or HS*): '{algorithm}' is not allowed.");
            }
        }

        if (options.Algorithms is { Length: 0 })
        {
            errors.Add($"{section}:Algorithms must name at least one algorithm when set.");
        }

        if (options.RoleMap.Any(static pair => string.IsNullOrWhiteSpace(pair.Key) || string.IsNullOrWhiteSpace(pair.Value)))
        {
            errors.Add($"{section}:RoleMap must map non-empty role names to non-empty role names.");
        }

        if (options.AllowedRoles.Any(string.IsNullOrWhiteSpace))
        {
            errors.Add($"{section}:AllowedRoles must hold non-empty role names.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);

        static string? RoutedIssuer(OpenIdConnectIssuerOptions options) => (options.Issuer ?? options.Authority)?.TrimEnd('/');

        void CheckAddress(string? address, string option)
        {
            if (address is null)
            {
                return; // Required: the generated validator says so.
            }

            if (!Uri.TryCreate(address, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
            {
                errors.Add($"{section}:{option} must be an absolute http or https address (was '{address}').");
            }
            else if (options.RequireHttpsMetadata && uri.Scheme != Uri.UriSchemeHttps)
            {
                errors.Add($"{section}:{option} must use https while {section}:RequireHttpsMetadata is true (was '{address}').");
            }
        }
    }
}
