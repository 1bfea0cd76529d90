using System.Text.Json;
using Microsoft.Extensions.Logging;
using RxInfer.Auth;

namespace RxInfer.Models;

/// <summary>
/// The per-subject and per-store limits of <see cref="RxInferModelsOptions"/>, applied by the instance service so
/// that every store gets them: the stored size of JSON an instance keeps (checked here, before anything is stored),
/// and the instance counts (passed to <see cref="IModelInstanceStore.AddAsync"/>, which checks them with the add).
/// </summary>
internal sealed class InstanceQuotas
{
    /// <summary>How long a client is told to wait when the store is full: one minute (instances leave by deletion or retention).</summary>
    public static readonly TimeSpan CapacityRetryAfter = TimeSpan.FromMinutes(1);

    private readonly ILogger _logger;

    public InstanceQuotas(RxInferModelsOptions options, ILogger logger)
    {
        Limits = new InstanceLimits(options.MaxInstancesPerSubject, options.MaxInstances);
        MaxInstanceSize = options.MaxInstanceSize;
        _logger = logger;
    }

    /// <summary>The counts a store checks when it adds an instance.</summary>
    public InstanceLimits Limits { get; }

    /// <summary>The most bytes of JSON (see <see cref="JsonSize"/>) one instance may keep; 0 for no limit.</summary>
    public int MaxInstanceSize { get; }

    /// <summary>
    /// Measures the JSON an instance would keep (its arguments and state; later its parameters, episodes and events)
    /// against <see cref="MaxInstanceSize"/>: the sizes of <paramref name="parts"/> (see <see cref="JsonSize"/>) are
    /// added up. The caller words the error (for example <see cref="ModelErrors.InstanceTooLarge"/>) and stores nothing.
    /// </summary>
    /// <param name="parts">The values that would be kept together.</param>
    /// <returns>Their size when it is over the limit; <see langword="null"/> when they fit (or there is no limit).</returns>
    public long? SizeOverLimit(params ReadOnlySpan<JsonElement> parts)
    {
        if (MaxInstanceSize == 0)
        {
            return null;
        }

        long size = 0;
        foreach (var part in parts)
        {
            size += JsonSize.Utf8Length(part);
        }

        return size > MaxInstanceSize ? size : null;
    }

    /// <summary>
    /// The outcome of an add that the store refused: a 400 for the caller's own limit; a
    /// <see cref="ServiceUnavailableException"/> (503) with a warning log when the whole store is full.
    /// </summary>
    /// <param name="result">What the store said.</param>
    /// <param name="subject">The caller's subject.</param>
    /// <returns>The outcome for the client.</returns>
    /// <exception cref="ServiceUnavailableException">The store holds <see cref="InstanceLimits.MaxInstances"/> instances.</exception>
    public ModelInstanceCreation Refuse(InstanceAddResult result, string subject)
    {
        switch (result)
        {
            case InstanceAddResult.OwnerLimitReached:
                Log.InstanceLimitReached(_logger, subject, Limits.MaxInstancesPerOwner);
                return ModelInstanceCreation.InvalidRequest(ModelErrors.TooManyInstances(Limits.MaxInstancesPerOwner));
            case InstanceAddResult.StoreFull:
                Log.InstanceCapacityReached(_logger, Limits.MaxInstances);
                throw new ServiceUnavailableException(ModelErrors.InstanceCapacityReached, CapacityRetryAfter);
            default:
                throw new InvalidOperationException($"The instance store answered {result} to an add; a store returns Added, OwnerLimitReached or StoreFull.");
        }
    }
}
