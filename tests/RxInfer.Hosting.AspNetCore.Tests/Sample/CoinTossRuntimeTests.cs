using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using RxInfer.Server.Runtimes;
using static RxInfer.Hosting.AspNetCore.Tests.Sample.RuntimeHarness;

namespace RxInfer.Hosting.AspNetCore.Tests.Sample;

/// <summary>
/// The Beta-Bernoulli coin of the sample against the closed form: Beta(a, b) after k heads in n tosses is
/// Beta(a + k, b + n - k), with mean (a + k) / (a + b + n) and variance (a + k)(b + n - k) / ((a + b + n)^2 (a + b + n + 1)).
/// </summary>
public sealed class CoinTossRuntimeTests
{
    private static readonly RuntimeHarness Coin = new(new CoinTossRuntime(), CoinTossRuntime.ModelName);

    private static readonly System.Text.Json.JsonElement Fresh = Coin.InitialState("""{"heads_prior":1.0,"tails_prior":1.0}""");

    [Fact]
    public void Initial_parameters_are_the_prior_pseudo_counts_and_the_state_counts_nothing()
    {
        Json.Equal("""{"alpha":2.5,"beta":3}""", Coin.InitialParameters("""{"heads_prior":2.5,"tails_prior":3}"""));
        Json.Equal(
            """{"number_of_inference_calls":0,"number_of_learning_calls":0,"number_of_processed_events":0}""",
            Coin.InitialState("""{"heads_prior":2.5,"tails_prior":3}"""));
    }

    [Fact]
    public void Three_heads_in_four_tosses_on_Beta_2_3_is_Beta_5_4_with_mean_5_9_and_variance_2_81()
    {
        var result = Coin.Infer(Fresh, Json.Parse("""{"alpha":2,"beta":3}"""), """{"observations":[1,0,1,1]}""");

        Close(5, Number(result.Results, "alpha"));
        Close(4, Number(result.Results, "beta"));
        Close(5.0 / 9, Number(result.Results, "mean"));
        Close(2.0 / 81, Number(result.Results, "variance")); // 5*4 / (9^2 * 10)
        Assert.Equal(3, result.Results.GetProperty("heads").GetInt32());
        Assert.Equal(1, result.Results.GetProperty("tails").GetInt32());
    }

    [Theory]
    [InlineData(1.0, 1.0, "[]")]
    [InlineData(1.0, 1.0, "[1]")]
    [InlineData(0.5, 0.5, "[0,0,0]")]
    [InlineData(3.25, 0.75, "[1,0,true,false,1.0,0.0,1]")]
    [InlineData(100, 1e-3, "[0,1,1,0,1,0,0,0,1,1,1,1]")]
    public void Inference_is_the_conjugate_update_of_the_episode_parameters(double a, double b, string tosses)
    {
        var list = Json.Parse(tosses).EnumerateArray().ToArray();
        var k = list.Count(static t => t.ValueKind == System.Text.Json.JsonValueKind.True || (t.ValueKind == System.Text.Json.JsonValueKind.Number && t.GetDouble() == 1));
        var n = list.Length;

        var result = Coin.Infer(Fresh, Json.Parse($$"""{"alpha":{{a:R}},"beta":{{b:R}}}"""), $$"""{"observations":{{tosses}}}""").Results;

        Close(a + k, Number(result, "alpha"));
        Close(b + n - k, Number(result, "beta"));
        Close((a + k) / (a + b + n), Number(result, "mean"));
        Close((a + k) * (b + n - k) / ((a + b + n) * (a + b + n) * (a + b + n + 1)), Number(result, "variance"));
    }

    [Fact]
    public void A_single_observation_is_the_same_as_a_list_of_one()
    {
        var parameters = Json.Parse("""{"alpha":2,"beta":5}""");
        Json.Equal(Coin.Infer(Fresh, parameters, """{"observations":[true]}""").Results.ToString(), Coin.Infer(Fresh, parameters, """{"observation":1}""").Results);
        Json.Equal(Coin.Infer(Fresh, parameters, """{"observations":[0]}""").Results.ToString(), Coin.Infer(Fresh, parameters, """{"observation":false}""").Results);
    }

    [Fact]
    public void Inference_counts_its_calls_in_the_state_and_keeps_the_other_counters()
    {
        var parameters = Json.Parse("""{"alpha":1,"beta":1}""");
        var state = Json.Parse("""{"number_of_inference_calls":4,"number_of_learning_calls":2,"number_of_processed_events":7}""");
        var once = Coin.Infer(state, parameters, """{"observation":1}""").State;
        var twice = Coin.Infer(once, parameters, """{"observation":0}""").State;
        Json.Equal("""{"number_of_inference_calls":6,"number_of_learning_calls":2,"number_of_processed_events":7}""", twice);
    }

    [Fact]
    public void Learning_folds_every_event_into_the_parameters_and_returns_them()
    {
        var result = Coin.Learn(
            Fresh,
            Json.Parse("""{"alpha":1,"beta":1}"""),
            """{"observations":[1,1,0]}""",
            """{"observation":true}""",
            """{"observations":[]}""");

        Json.Equal("""{"alpha":4,"beta":2}""", result.Parameters);
        Json.Equal(result.Parameters.ToString(), result.LearnedParameters);
        Json.Equal("""{"number_of_inference_calls":0,"number_of_learning_calls":1,"number_of_processed_events":3}""", result.State);
    }

    [Fact]
    public void Learning_without_events_keeps_the_parameters()
    {
        var result = Coin.Learn(Fresh, Json.Parse("""{"alpha":3,"beta":7}"""));
        Json.Equal("""{"alpha":3,"beta":7}""", result.Parameters);
    }

    [Theory]
    [InlineData("{}", "data must have 'observation' (one value) or 'observations' (an array of values)")]
    [InlineData("""{"toss":1}""", "data must have 'observation' (one value) or 'observations' (an array of values)")]
    [InlineData("""{"observation":1,"observations":[1]}""", "data must have either 'observation' or 'observations', not both")]
    [InlineData("""{"observations":1}""", "data.observations must be an array (found a number)")]
    [InlineData("""{"observations":{"0":1}}""", "data.observations must be an array (found an object)")]
    [InlineData("""{"observation":2}""", "data.observation must be 0 or 1 (or false or true) (found a number out of range)")]
    [InlineData("""{"observation":-1}""", "data.observation must be 0 or 1 (or false or true) (found a number out of range)")]
    [InlineData("""{"observation":0.5}""", "data.observation must be 0 or 1 (or false or true) (found a number out of range)")]
    [InlineData("""{"observation":1e400}""", "data.observation must be 0 or 1 (or false or true) (found a number out of range)")]
    [InlineData("""{"observation":"1"}""", "data.observation must be 0 or 1 (or false or true) (found a string)")]
    [InlineData("""{"observation":"NaN"}""", "data.observation must be 0 or 1 (or false or true) (found a string)")]
    [InlineData("""{"observation":"Infinity"}""", "data.observation must be 0 or 1 (or false or true) (found a string)")]
    [InlineData("""{"observation":null}""", "data.observation must be 0 or 1 (or false or true) (found null)")]
    [InlineData("""{"observations":[1,0,[1]]}""", "data.observations[2] must be 0 or 1 (or false or true) (found an array)")]
    [InlineData("""{"observations":[1,0,1,"heads"]}""", "data.observations[3] must be 0 or 1 (or false or true) (found a string)")]
    [InlineData("[1,0]", "data must be a JSON object (found an array)")]
    public void Bad_data_is_refused_with_a_message_that_names_the_field(string data, string message)
    {
        var error = Assert.Throws<InvalidModelDataException>(() => Coin.Infer(Fresh, Json.Parse("""{"alpha":1,"beta":1}"""), data));
        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void A_bad_event_fails_the_whole_learning_call_and_names_the_event()
    {
        var error = Assert.Throws<InvalidModelDataException>(() => Coin.Learn(
            Fresh, Json.Parse("""{"alpha":1,"beta":1}"""), """{"observation":1}""", """{"observations":[0,3]}"""));
        Assert.Equal("event 2: data.observations[1] must be 0 or 1 (or false or true) (found a number out of range)", error.Message);
    }

    [Theory]
    [InlineData("""{"heads_prior":0,"tails_prior":1}""", "argument heads_prior must be a positive finite number")]
    [InlineData("""{"heads_prior":1,"tails_prior":-2}""", "argument tails_prior must be a positive finite number")]
    [InlineData("""{"heads_prior":"1","tails_prior":1}""", "argument heads_prior must be a positive finite number")]
    [InlineData("""{"heads_prior":null,"tails_prior":1}""", "argument heads_prior must be a positive finite number")]
    [InlineData("""{"tails_prior":1}""", "argument heads_prior is missing; it must be a positive finite number")]
    [InlineData("""{"heads_prior":1e308,"tails_prior":1e308}""", "alpha + beta is too large for a double-precision number")]
    public void Bad_prior_arguments_are_refused_before_an_instance_exists(string arguments, string message)
    {
        Assert.Equal(message, Assert.Throws<InvalidModelDataException>(() => Coin.InitialState(arguments)).Message);
        Assert.Equal(message, Assert.Throws<InvalidModelDataException>(() => Coin.InitialParameters(arguments)).Message);
    }

    [Theory]
    [InlineData("""{"alpha":0,"beta":1}""", "parameter alpha must be a positive finite number")]
    [InlineData("""{"beta":1}""", "parameter alpha is missing; it must be a positive finite number")]
    [InlineData("[]", "the parameters must be a JSON object (found an array)")]
    public void Parameters_that_are_not_a_Beta_distribution_are_refused(string parameters, string message) =>
        Assert.Equal(message, Assert.Throws<InvalidModelDataException>(() => Coin.Infer(Fresh, Json.Parse(parameters), """{"observation":1}""")).Message);

    private static Arbitrary<(double A, double B, bool[] Tosses)> PriorsAndTosses =>
        (from a in Gen.Choose(1, 10_000)
         from b in Gen.Choose(1, 10_000)
         from tosses in Gen.ArrayOf(Gen.Elements(true, false))
         select (a / 100.0, b / 100.0, tosses)).ToArbitrary();

    [Property(MaxTest = 200)]
    public Property Learning_toss_by_toss_in_any_order_equals_the_batch_update() =>
        Prop.ForAll(PriorsAndTosses, input =>
        {
            var (a, b, tosses) = input;
            var heads = tosses.Count(static t => t);
            var tails = tosses.Length - heads;
            var parameters = Json.Parse($$"""{"alpha":{{a:R}},"beta":{{b:R}}}""");

            // One learning call per toss, in reverse order, each feeding one event.
            var sequential = parameters;
            foreach (var toss in tosses.Reverse())
            {
                sequential = Coin.Learn(Fresh, sequential, $$"""{"observation":{{(toss ? "true" : "false")}}}""").Parameters;
            }

            // One inference over all tosses, as given.
            var batch = Coin.Infer(Fresh, parameters, $$"""{"observations":[{{string.Join(',', tosses.Select(static t => t ? 1 : 0))}}]}""").Results;

            const double Tolerance = 1e-12;
            return Math.Abs(Number(sequential, "alpha") - (a + heads)) <= Tolerance * (a + heads)
                && Math.Abs(Number(sequential, "beta") - (b + tails)) <= Tolerance * (b + tails)
                && Number(batch, "alpha") == a + heads
                && Number(batch, "beta") == b + tails;
        });
}
