using System.Text.Json;
using System.Text.Json.Nodes;
using RxInfer.Models;

namespace RxInfer.Server.Runtimes;

/// <summary>
/// The runtime of <c>coin-toss-v1</c>: a coin with an unknown probability of heads, a Beta prior over it and
/// Bernoulli tosses (conjugate updates, exact).
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>Arguments: <c>heads_prior</c> and <c>tails_prior</c>, positive numbers, the prior Beta(alpha, beta).</item>
/// <item>Parameters: <c>{"alpha": a, "beta": b}</c>, the episode's belief (the prior until learning folds tosses in).</item>
/// <item>State: <c>{"number_of_inference_calls", "number_of_learning_calls", "number_of_processed_events"}</c>.</item>
/// <item>Data (inference and each event): <c>{"observation": t}</c> or <c>{"observations": [t, ...]}</c>, where a toss
/// <c>t</c> is <c>1</c> or <c>true</c> for heads and <c>0</c> or <c>false</c> for tails.</item>
/// <item>Inference: the posterior after the episode's parameters see the tosses of <c>data</c>
/// (<c>alpha</c>, <c>beta</c>, <c>mean</c>, <c>variance</c>, <c>heads</c>, <c>tails</c>); the parameters do not change.</item>
/// <item>Learning: every fed event's tosses folded into the parameters; the learned parameters are the new ones.</item>
/// </list>
/// </remarks>
internal sealed class CoinTossRuntime : IModelRuntime
{
    /// <summary>The model's name in <c>models/coin-toss-v1/config.yaml</c>.</summary>
    public const string ModelName = "coin-toss-v1";

    private const string HeadsPrior = "heads_prior";
    private const string TailsPrior = "tails_prior";
    private const string Alpha = "alpha";
    private const string Beta = "beta";
    private const string InferenceCalls = "number_of_inference_calls";
    private const string LearningCalls = "number_of_learning_calls";
    private const string ProcessedEvents = "number_of_processed_events";
    private const string Toss = "0 or 1 (or false or true)";
    private const string PositiveNumber = "a positive finite number";

    public ValueTask<JsonElement> CreateInitialStateAsync(ModelDefinition model, JsonElement arguments, CancellationToken cancellationToken)
    {
        _ = Prior(arguments); // refuse an instance whose prior cannot work, before it exists
        return ValueTask.FromResult(State(0, 0, 0));
    }

    public ValueTask<JsonElement> CreateInitialParametersAsync(ModelDefinition model, JsonElement arguments, CancellationToken cancellationToken) =>
        ValueTask.FromResult(Parameters(Prior(arguments)));

    public ValueTask<ModelInferenceResult> InferAsync(ModelInferenceRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        cancellationToken.ThrowIfCancellationRequested();
        var belief = ReadParameters(request.Parameters);
        var tosses = new List<bool>();
        Observations.Read(request.Data, TryReadToss, Toss, "data", tosses);
        var heads = tosses.Count(static toss => toss);
        var tails = tosses.Count - heads;
        var posterior = Checked(belief.Observe(heads, tails));

        var results = new JsonObject
        {
            [Alpha] = posterior.Alpha,
            [Beta] = posterior.Beta,
            ["mean"] = posterior.Mean,
            ["variance"] = posterior.Variance,
            ["heads"] = heads,
            ["tails"] = tails,
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
        var belief = ReadParameters(request.Parameters);
        var tosses = new List<bool>();
        foreach (var fed in request.Events)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Observations.Read(fed.Data, TryReadToss, Toss, $"event {fed.EventId}: data", tosses);
        }

        var heads = tosses.Count(static toss => toss);
        var learned = Parameters(Checked(belief.Observe(heads, tosses.Count - heads)));
        var state = State(
            JsonFields.ReadCounter(request.State, InferenceCalls),
            JsonFields.ReadCounter(request.State, LearningCalls) + 1,
            JsonFields.ReadCounter(request.State, ProcessedEvents) + request.Events.Count);
        return ValueTask.FromResult(new ModelLearningResult(learned, state, learned));
    }

    /// <summary>A toss: <c>1</c> or <c>true</c> is heads, <c>0</c> or <c>false</c> is tails (<c>1.0</c> and <c>0.0</c> too).</summary>
    internal static bool TryReadToss(JsonElement value, out bool heads)
    {
        heads = false;
        switch (value.ValueKind)
        {
            case JsonValueKind.True:
                heads = true;
                return true;
            case JsonValueKind.False:
                return true;
            case JsonValueKind.Number when value.TryGetDouble(out var number) && (number == 0 || number == 1):
                heads = number == 1;
                return true;
            default:
                return false;
        }
    }

    private static BetaDistribution Prior(JsonElement arguments) => Checked(new(
        JsonFields.ReadNumber(arguments, "argument", HeadsPrior, JsonFields.Positive, PositiveNumber),
        JsonFields.ReadNumber(arguments, "argument", TailsPrior, JsonFields.Positive, PositiveNumber)));

    private static BetaDistribution ReadParameters(JsonElement parameters) => new(
        JsonFields.ReadNumber(parameters, "parameter", Alpha, JsonFields.Positive, PositiveNumber),
        JsonFields.ReadNumber(parameters, "parameter", Beta, JsonFields.Positive, PositiveNumber));

    private static BetaDistribution Checked(BetaDistribution belief) =>
        double.IsFinite(belief.Alpha + belief.Beta + 1)
            ? belief
            : throw new InvalidModelDataException("alpha + beta is too large for a double-precision number");

    private static JsonElement Parameters(BetaDistribution belief) =>
        JsonSerializer.SerializeToElement(new JsonObject { [Alpha] = belief.Alpha, [Beta] = belief.Beta });

    private static JsonElement State(long inferenceCalls, long learningCalls, long processedEvents) =>
        JsonSerializer.SerializeToElement(new JsonObject
        {
            [InferenceCalls] = inferenceCalls,
            [LearningCalls] = learningCalls,
            [ProcessedEvents] = processedEvents,
        });
}
