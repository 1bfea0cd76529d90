using System.Diagnostics;

namespace RxInfer.Auth;

/// <summary>
/// The <c>RxInfer.Auth</c> activity source: one activity per issue, validation and revocation, with the outcome, the
/// token's kind and provider as tags. Tags never carry token text, subjects or secrets. When nobody listens, no
/// activity is created and the calls take their untraced path.
/// </summary>
internal static class RxInferAuthActivities
{
    public const string Issue = "rxinfer.token.issue";
    public const string Validate = "rxinfer.token.validate";
    public const string Revoke = "rxinfer.token.revoke";

    public const string OutcomeTag = "rxinfer.token.outcome";
    public const string KindTag = "rxinfer.token.kind";
    public const string ProviderTag = "rxinfer.token.provider";

    public static readonly ActivitySource Source = new(RxInferAuthDefaults.ActivitySourceName, typeof(RxInferAuthActivities).Assembly.GetName().Version?.ToString());

    /// <summary>An activity named <paramref name="name"/>, or <see langword="null"/> when nobody listens.</summary>
    public static Activity? Start(string name) => Source.HasListeners() ? Source.StartActivity(name, ActivityKind.Internal) : null;

    /// <summary>Records the identity's kind and provider (never its subject or token id).</summary>
    public static void SetIdentity(Activity activity, TokenIdentity identity)
    {
        activity.SetTag(KindTag, identity.Kind == TokenKind.ApiKey ? "api_key" : "access_token");
        activity.SetTag(ProviderTag, identity.IssuedBy);
    }

    /// <summary>
    /// Runs <paramref name="call"/> under <paramref name="activity"/> (when there is one): a call that throws marks it
    /// failed with the exception's type (never its message, which may hold data), and the exception goes on.
    /// </summary>
    public static async ValueTask<T> RunAsync<T, TState>(Activity? activity, TState state, Func<TState, CancellationToken, ValueTask<T>> call, CancellationToken cancellationToken)
    {
        if (activity is null)
        {
            return await call(state, cancellationToken).ConfigureAwait(false);
        }

        try
        {
            return await call(state, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            activity.SetStatus(ActivityStatusCode.Error, exception.GetType().Name);
            throw;
        }
    }
}
