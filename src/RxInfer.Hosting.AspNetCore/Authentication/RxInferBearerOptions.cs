using Microsoft.AspNetCore.Authentication;

namespace RxInfer.Hosting.AspNetCore;

/// <summary>
/// Options of the RxInfer bearer scheme. Tokens are checked by the registered <c>RxInfer.Auth.ITokenValidator</c>
/// and roles come from the registered <c>RxInfer.Auth.IRoleResolver</c> (both from <c>services.AddRxInferAuth()</c>).
/// </summary>
public sealed class RxInferBearerOptions : AuthenticationSchemeOptions
{
    /// <summary>
    /// Whether a challenge for a rejected token carries <c>error_description</c> (a short reason such as
    /// "The token has expired", never the token). Defaults to <see langword="true"/>.
    /// </summary>
    public bool IncludeErrorDescription { get; set; } = true;

    /// <summary>
    /// The scheme's events: read the token from elsewhere, add checks or claims to a valid token, shape the 401 and
    /// 403 answers. Defaults to an instance that observes nothing.
    /// </summary>
    public new RxInferBearerEvents Events
    {
        get => (RxInferBearerEvents)base.Events!;
        set => base.Events = value;
    }

    /// <summary>Creates the options with events that observe nothing.</summary>
    public RxInferBearerOptions() => Events = new RxInferBearerEvents();
}
