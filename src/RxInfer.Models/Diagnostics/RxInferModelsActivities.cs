using System.Diagnostics;

namespace RxInfer.Models;

/// <summary>
/// The <c>RxInfer.Models</c> activity source: one activity per runtime call, tagged with the model, the operation,
/// the instance and the outcome (never arguments, data or state). No activity when nobody listens.
/// </summary>
internal static class RxInferModelsActivities
{
    public const string RuntimeCall = "rxinfer.model.runtime";

    public static readonly ActivitySource Source = new(RxInferModelsDefaults.ActivitySourceName, typeof(RxInferModelsActivities).Assembly.GetName().Version?.ToString());

    /// <summary>An activity for a runtime call, or <see langword="null"/> when nobody listens.</summary>
    public static Activity? StartRuntimeCall(string operation, string modelName, Guid? instanceId)
    {
        if (!Source.HasListeners() || Source.StartActivity(RuntimeCall, ActivityKind.Internal) is not { } activity)
        {
            return null;
        }

        activity.SetTag("rxinfer.model.name", modelName);
        activity.SetTag("rxinfer.model.operation", operation);
        if (instanceId is { } id)
        {
            activity.SetTag("rxinfer.model.instance_id", id.ToString());
        }

        return activity;
    }

    /// <summary>Records how the call ended: <c>ok</c>, <c>refused</c>, <c>incomplete</c>, <c>timed_out</c>, <c>cancelled</c> or <c>failed</c>.</summary>
    public static void SetOutcome(Activity? activity, string outcome, bool error = false)
    {
        if (activity is null)
        {
            return;
        }

        activity.SetTag("rxinfer.model.outcome", outcome);
        if (error)
        {
            activity.SetStatus(ActivityStatusCode.Error, outcome);
        }
    }
}
