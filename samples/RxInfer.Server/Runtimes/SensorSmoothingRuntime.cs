using System.Text.Json;
using System.Text.Json.Nodes;
using RxInfer.Models;

namespace RxInfer.Server.Runtimes;

/// <summary>
/// The runtime of <c>sensor-smoothing-v1</c>: a value that drifts as a Gaussian random walk, read by a noisy sensor
/// at a fixed interval, smoothed by the scalar Kalman filter (<see cref="LocalLevelFilter"/>).
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>Arguments: <c>sampling_interval</c> (seconds, positive, required), <c>process_noise</c> (standard deviation of
/// the drift over one second), <c>sensor_noise</c> (standard deviation of one reading, positive), <c>initial_mean</c>,
/// <c>initial_variance</c> (the belief before any reading).</item>
/// <item>Parameters: <c>{"mean", "variance"}</c>, the belief about the value after the readings learned so far, and
/// <c>{"process_noise_variance": Q, "observation_noise_variance": R}</c> with Q = process_noise^2 x sampling_interval
/// and R = sensor_noise^2.</item>
/// <item>State: <c>{"number_of_inference_calls", "number_of_learning_calls", "number_of_processed_events"}</c>.</item>
/// <item>Data (inference and each event): <c>{"observation": y}</c> or <c>{"observations": [y, ...]}</c>, finite numbers
/// one sampling interval apart.</item>
/// <item>Inference: filters the readings of <c>data</c> from the episode's belief and returns the filtered
/// <c>means</c> and <c>variances</c> (one per reading) and the last <c>mean</c> and <c>variance</c>; the parameters do
/// not change.</item>
/// <item>Learning: filters every fed event's readings, in event order, and stores the final belief as the parameters.</item>
/// </list>
/// </remarks>
internal sealed class SensorSmoothingRuntime : IModelRuntime
{
    /// <summary>The model's name in <c>models/sensor-smoothing-v1/config.yaml</c>.</summary>
    public const string ModelName = "sensor-smoothing-v1";

    private const string SamplingInterval = "sampling_interval";
    private const string ProcessNoise = "process_noise";
    private const string SensorNoise = "sensor_noise";
    private const string InitialMean = "initial_mean";
    private const string InitialVariance = "initial_variance";
    private const string Mean = "mean";
    private const string Variance = "variance";
    private const string ProcessNoiseVariance = "process_noise_variance";
    private const string ObservationNoiseVariance = "observation_noise_variance";
    private const string InferenceCalls = "number_of_inference_calls";
    private const string LearningCalls = "number_of_learning_calls";
    private const string ProcessedEvents = "number_of_processed_events";
    private const string FiniteNumber = "a finite number";
    private const string PositiveNumber = "a positive finite number";
    private const string NotNegativeNumber = "a finite number, zero or more";

    public ValueTask<JsonElement> CreateInitialStateAsync(ModelDefinition model, JsonElement arguments, CancellationToken cancellationToken)
    {
        _ = Prior(arguments); // refuse an instance whose filter cannot work, before it exists
        return ValueTask.FromResult(State(0, 0, 0));
    }

    public ValueTask<JsonElement> CreateInitialParametersAsync(ModelDefinition model, JsonElement arguments, CancellationToken cancellationToken) =>
        ValueTask.FromResult(Parameters(Prior(arguments)));

    public ValueTask<ModelInferenceResult> InferAsync(ModelInferenceRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        cancellationToken.ThrowIfCancellationRequested();
        var filter = ReadParameters(request.Parameters);
        var readings = new List<double>();
        Observations.Read(request.Data, Observations.TryReadFiniteNumber, FiniteNumber, "data", readings);

        var means = new JsonArray();
        var variances = new JsonArray();
        var belief = filter.Belief;
        foreach (var reading in readings)
        {
            belief = filter.Step(belief, reading, "data");
            means.Add(belief.Mean);
            variances.Add(belief.Variance);
        }

        var results = new JsonObject
        {
            ["means"] = means,
            ["variances"] = variances,
            [Mean] = belief.Mean,
            [Variance] = belief.Variance,
        };
        var state = State(
            JsonFields.ReadCounter(request.State, InferenceCalls) + 1,
            JsonFields.ReadCounter(request.State, LearningCalls),
            JsonFields.ReadCounter(request.State, ProcessedEvents));
        return ValueTask.FromResult(new ModelInferenceResult(JsonSerializer.SerializeToElement(results), state));
    }

    public ValueTask<ModelLearningResult> LearnAsync(ModelLearningRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var filter = ReadParameters(request.Parameters);
        var belief = filter.Belief;
        var readings = new List<double>();
        foreach (var fed in request.Events)
        {
            cancellationToken.ThrowIfCancellationRequested();
            readings.Clear();
            var where = $"event {fed.EventId}: data";
            Observations.Read(fed.Data, Observations.TryReadFiniteNumber, FiniteNumber, where, readings);
            foreach (var reading in readings)
            {
                belief = filter.Step(belief, reading, where);
            }
        }

        var learned = Parameters(filter with { Belief = belief });
        var state = State(
            JsonFields.ReadCounter(request.State, InferenceCalls),
            JsonFields.ReadCounter(request.State, LearningCalls) + 1,
            JsonFields.ReadCounter(request.State, ProcessedEvents) + request.Events.Count);
        return ValueTask.FromResult(new ModelLearningResult(learned, state, learned));
    }

    private static Filter Prior(JsonElement arguments)
    {
        var interval = JsonFields.ReadNumber(arguments, "argument", SamplingInterval, JsonFields.Positive, PositiveNumber);
        var drift = JsonFields.ReadNumber(arguments, "argument", ProcessNoise, JsonFields.NotNegative, NotNegativeNumber);
        var noise = JsonFields.ReadNumber(arguments, "argument", SensorNoise, JsonFields.Positive, PositiveNumber);
        var mean = JsonFields.ReadNumber(arguments, "argument", InitialMean, JsonFields.Any, FiniteNumber);
        var variance = JsonFields.ReadNumber(arguments, "argument", InitialVariance, JsonFields.NotNegative, NotNegativeNumber);
        var q = drift * drift * interval;
        var r = noise * noise;
        if (!double.IsFinite(q) || !double.IsFinite(r) || r <= 0)
        {
            throw new InvalidModelDataException($"arguments {ProcessNoise}, {SensorNoise} and {SamplingInterval} give noise variances out of the range of double-precision numbers");
        }

        return new Filter(new GaussianBelief(mean, variance), q, r);
    }

    private static Filter ReadParameters(JsonElement parameters) => new(
        new GaussianBelief(
            JsonFields.ReadNumber(parameters, "parameter", Mean, JsonFields.Any, FiniteNumber),
            JsonFields.ReadNumber(parameters, "parameter", Variance, JsonFields.NotNegative, NotNegativeNumber)),
        JsonFields.ReadNumber(parameters, "parameter", ProcessNoiseVariance, JsonFields.NotNegative, NotNegativeNumber),
        JsonFields.ReadNumber(parameters, "parameter", ObservationNoiseVariance, JsonFields.Positive, PositiveNumber));

    private static JsonElement Parameters(Filter filter) =>
        JsonSerializer.SerializeToElement(new JsonObject
        {
            [Mean] = filter.Belief.Mean,
            [Variance] = filter.Belief.Variance,
            [ProcessNoiseVariance] = filter.ProcessNoise,
            [ObservationNoiseVariance] = filter.ObservationNoise,
        });

    private static JsonElement State(long inferenceCalls, long learningCalls, long processedEvents) =>
        JsonSerializer.SerializeToElement(new JsonObject
        {
            [InferenceCalls] = inferenceCalls,
            [LearningCalls] = learningCalls,
            [ProcessedEvents] = processedEvents,
        });

    /// <summary>The filter of one episode: its belief and its noise variances.</summary>
    private readonly record struct Filter(GaussianBelief Belief, double ProcessNoise, double ObservationNoise)
    {
        /// <summary>One filter step, refusing a reading that would make the belief overflow.</summary>
        public GaussianBelief Step(GaussianBelief belief, double reading, string where)
        {
            var next = LocalLevelFilter.Step(belief, ProcessNoise, ObservationNoise, reading);
            return double.IsFinite(next.Mean) && double.IsFinite(next.Variance)
                ? next
                : throw new InvalidModelDataException($"{where}: a reading is too far from the current mean for double-precision numbers");
        }
    }
}
