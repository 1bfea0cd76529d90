namespace RxInfer.Hosting.AspNetCore;

/// <summary>
/// Hooks into the RxInfer bearer scheme, as <c>JwtBearerEvents</c> does for the stock handler: read the token from
/// somewhere else, add checks or claims once a token is valid, and shape the 401 and 403 answers. Assign the
/// <c>On...</c> delegates, or derive and override the methods (and set <c>EventsType</c> to resolve the derived
/// class from the container). Events that nobody observes cost nothing: the scheme creates no context for them.
/// </summary>
public class RxInferBearerEvents
{
    private static readonly Func<RxInferMessageReceivedContext, Task> NoMessageReceived = static _ => Task.CompletedTask;
    private static readonly Func<RxInferTokenValidatedContext, Task> NoTokenValidated = static _ => Task.CompletedTask;
    private static readonly Func<RxInferChallengeContext, Task> NoChallenge = static _ => Task.CompletedTask;
    private static readonly Func<RxInferForbiddenContext, Task> NoForbidden = static _ => Task.CompletedTask;

    /// <summary>
    /// Called first for every request the scheme authenticates. Set <see cref="RxInferMessageReceivedContext.Token"/>
    /// to take the token from elsewhere (a query string, a cookie, another header), or end authentication with
    /// <c>Success</c>, <c>Fail</c> or <c>NoResult</c> on the context.
    /// </summary>
    public Func<RxInferMessageReceivedContext, Task> OnMessageReceived { get; set; } = NoMessageReceived;

    /// <summary>
    /// Called when a token was valid and its principal built (subject, token id, issuer and role claims). Add claims,
    /// replace the principal, or reject the request with <c>Fail</c> (a 401 when the endpoint needs a caller).
    /// </summary>
    public Func<RxInferTokenValidatedContext, Task> OnTokenValidated { get; set; } = NoTokenValidated;

    /// <summary>
    /// Called before the scheme writes a 401. Call <see cref="RxInferChallengeContext.HandleResponse"/> after writing
    /// a response of your own to keep the scheme from writing its own.
    /// </summary>
    public Func<RxInferChallengeContext, Task> OnChallenge { get; set; } = NoChallenge;

    /// <summary>
    /// Called before the scheme writes a 403. Call <see cref="RxInferForbiddenContext.HandleResponse"/> after writing a
    /// response of your own to keep the scheme from writing its own.
    /// </summary>
    public Func<RxInferForbiddenContext, Task> OnForbidden { get; set; } = NoForbidden;

    /// <summary>Invokes <see cref="OnMessageReceived"/>.</summary>
    /// <param name="context">The context.</param>
    /// <returns>A task that completes when the event has been handled.</returns>
    public virtual Task MessageReceived(RxInferMessageReceivedContext context) => OnMessageReceived(context);

    /// <summary>Invokes <see cref="OnTokenValidated"/>.</summary>
    /// <param name="context">The context.</param>
    /// <returns>A task that completes when the event has been handled.</returns>
    public virtual Task TokenValidated(RxInferTokenValidatedContext context) => OnTokenValidated(context);

    /// <summary>Invokes <see cref="OnChallenge"/>.</summary>
    /// <param name="context">The context.</param>
    /// <returns>A task that completes when the event has been handled.</returns>
    public virtual Task Challenge(RxInferChallengeContext context) => OnChallenge(context);

    /// <summary>Invokes <see cref="OnForbidden"/>.</summary>
    /// <param name="context">The context.</param>
    /// <returns>A task that completes when the event has been handled.</returns>
    public virtual Task Forbidden(RxInferForbiddenContext context) => OnForbidden(context);

    // A derived class may override any method, so it observes every event; otherwise only the assigned delegates do.
    private bool IsDerived => GetType() != typeof(RxInferBearerEvents);

    internal bool ObservesMessageReceived => IsDerived || !ReferenceEquals(OnMessageReceived, NoMessageReceived);

    internal bool ObservesTokenValidated => IsDerived || !ReferenceEquals(OnTokenValidated, NoTokenValidated);

    internal bool ObservesChallenge => IsDerived || !ReferenceEquals(OnChallenge, NoChallenge);

    internal bool ObservesForbidden => IsDerived || !ReferenceEquals(OnForbidden, NoForbidden);
}
