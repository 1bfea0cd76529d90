using System.Globalization;
using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using RxInfer.Server.Runtimes;
using static RxInfer.Hosting.AspNetCore.Tests.Sample.RuntimeHarness;

namespace RxInfer.Hosting.AspNetCore.Tests.Sample;

/// <summary>
/// The sample's local-level Kalman filter against the scalar closed form: with prior N(m, P0), process noise Q and
/// observation noise R, one reading y gives P = P0 + Q, K = P / (P + R), m' = m + K (y - m), P' = (1 - K) P; and the
/// posterior variance converges to the positive root of the Riccati equation P = (P + Q) R / (P + Q + R), that is
/// (-Q + sqrt(Q^2 + 4 Q R)) / 2.
/// </summary>
public sealed class SensorSmoothingRuntimeTests
{
    private static readonly RuntimeHarness Sensor = new(new SensorSmoothingRuntime(), SensorSmoothingRuntime.ModelName);

    private static readonly JsonElement Fresh = Sensor.InitialState(Arguments(1, 0.1, 0.5, 0, 100));

    private static string Arguments(double interval, double processNoise, double sensorNoise, double mean, double variance) => string.Create(
        CultureInfo.InvariantCulture,
        $$"""{"sampling_interval":{{interval:R}},"process_noise":{{processNoise:R}},"sensor_noise":{{sensorNoise:R}},"initial_mean":{{mean:R}},"initial_variance":{{variance:R}}}""");

    private static JsonElement Parameters(double mean, double variance, double q, double r) => Json.Parse(string.Create(
        CultureInfo.InvariantCulture,
        $$"""{"mean":{{mean:R}},"variance":{{variance:R}},"process_noise_variance":{{q:R}},"observation_noise_variance":{{r:R}}}"""));

    /// <summary>The closed form of one step, written here independently of the code under test.</summary>
    private static (double Mean, double Variance) ClosedFormStep(double m, double p0, double q, double r, double y)
    {
        var p = p0 + q;
        var k = p / (p + r);
        return (m + (k * (y - m)), (1 - k) * p);
    }

    [Fact]
    public void Initial_parameters_turn_the_standard_deviations_into_variances_per_sampling_interval()
    {
        // Q = process_noise^2 * sampling_interval = 1.5^2 * 2 = 4.5; R = sensor_noise^2 = 0.25
        Json.Equal(
            """{"mean":5,"variance":10,"process_noise_variance":4.5,"observation_noise_variance":0.25}""",
            Sensor.InitialParameters(Arguments(2, 1.5, 0.5, 5, 10)));
        Json.Equal(
            """{"number_of_inference_calls":0,"number_of_learning_calls":0,"number_of_processed_events":0}""",
            Sensor.InitialState(Arguments(2, 1.5, 0.5, 5, 10)));
    }

    [Fact]
    public void One_reading_of_3_on_N_0_1_with_Q_half_and_R_2_gives_mean_9_7_and_variance_6_7()
    {
        // P = 1.5, K = 1.5 / 3.5 = 3/7, m' = 9/7, P' = (4/7) * 1.5 = 6/7
        var result = Sensor.Infer(Fresh, Parameters(0, 1, 0.5, 2), """{"observation":3}""").Results;

        Close(9.0 / 7, Number(result, "mean"));
        Close(6.0 / 7, Number(result, "variance"));
        Assert.Equal([9.0 / 7], Numbers(result, "means"), (x, y) => Math.Abs(x - y) < 1e-12);
        Assert.Equal([6.0 / 7], Numbers(result, "variances"), (x, y) => Math.Abs(x - y) < 1e-12);
    }

    [Theory]
    [InlineData(0.0, 1.0, 0.5, 2.0, new[] { 3.0 })]
    [InlineData(10.0, 0.0, 0.0, 1.0, new[] { 12.0, 11.0 })]
    [InlineData(-4.0, 100.0, 0.01, 0.25, new[] { -3.9, -4.2, -4.05, -3.7, -4.4 })]
    [InlineData(1e6, 1e-6, 3.0, 1e-4, new[] { 1e6 + 1, 1e6 - 2, 1e6 })]
    public void Inference_filters_each_reading_as_the_closed_form_does(double m0, double p0, double q, double r, double[] readings)
    {
        var result = Sensor.Infer(Fresh, Parameters(m0, p0, q, r), $$"""{"observations":[{{string.Join(',', readings.Select(static y => y.ToString("R", CultureInfo.InvariantCulture)))}}]}""").Results;

        var means = Numbers(result, "means");
        var variances = Numbers(result, "variances");
        Assert.Equal(readings.Length, means.Length);
        Assert.Equal(readings.Length, variances.Length);
        var (m, p) = (m0, p0);
        for (var i = 0; i < readings.Length; i++)
        {
            (m, p) = ClosedFormStep(m, p, q, r, readings[i]);
            Close(m, means[i], 1e-10);
            Close(p, variances[i], 1e-10);
        }

        Close(m, Number(result, "mean"), 1e-10);
        Close(p, Number(result, "variance"), 1e-10);
    }

    [Fact]
    public void No_reading_returns_the_episode_belief_unchanged()
    {
        var result = Sensor.Infer(Fresh, Parameters(2, 3, 1, 1), """{"observations":[]}""").Results;
        Json.Equal("""{"means":[],"variances":[],"mean":2,"variance":3}""", result);
    }

    [Fact]
    public void The_variance_converges_to_the_positive_root_of_the_Riccati_equation()
    {
        // sampling_interval 2, process_noise 1 -> Q = 2; sensor_noise 2 -> R = 4; root (-2 + sqrt(4 + 32)) / 2 = 2
        const double Q = 2, R = 4;
        var root = (-Q + Math.Sqrt((Q * Q) + (4 * Q * R))) / 2;
        Close(2, root);
        Close(root, (root + Q) * R / (root + Q + R)); // it is a fixed point of one step

        var parameters = Sensor.InitialParameters(Arguments(2, 1, 2, 0, 1000));
        var readings = string.Join(',', Enumerable.Range(0, 60).Select(static i => (i % 7) - 3));
        var variances = Numbers(Sensor.Infer(Fresh, parameters, $$"""{"observations":[{{readings}}]}""").Results, "variances");

        Assert.True(variances[0] > 3, "the first reading starts far from the steady state");
        Close(root, variances[^1], 1e-9);
    }

    [Fact]
    public void Inference_counts_its_calls_and_does_not_change_the_parameters()
    {
        var state = Json.Parse("""{"number_of_inference_calls":1,"number_of_learning_calls":5,"number_of_processed_events":9}""");
        var result = Sensor.Infer(state, Parameters(0, 1, 1, 1), """{"observation":1}""");
        Json.Equal("""{"number_of_inference_calls":2,"number_of_learning_calls":5,"number_of_processed_events":9}""", result.State);
        Assert.False(result.Results.TryGetProperty("process_noise_variance", out _));
    }

    [Fact]
    public void Learning_runs_the_filter_over_the_events_in_order_and_stores_the_final_belief()
    {
        var result = Sensor.Learn(Fresh, Parameters(0, 1, 0.5, 2), """{"observation":3}""", """{"observations":[1,2]}""");

        var (m, p) = ClosedFormStep(0, 1, 0.5, 2, 3);
        (m, p) = ClosedFormStep(m, p, 0.5, 2, 1);
        (m, p) = ClosedFormStep(m, p, 0.5, 2, 2);
        Close(m, Number(result.Parameters, "mean"));
        Close(p, Number(result.Parameters, "variance"));
        Assert.Equal(0.5, Number(result.Parameters, "process_noise_variance"));
        Assert.Equal(2, Number(result.Parameters, "observation_noise_variance"));
        Json.Equal(result.Parameters.ToString(), result.LearnedParameters);
        Json.Equal("""{"number_of_inference_calls":0,"number_of_learning_calls":1,"number_of_processed_events":2}""", result.State);
    }

    [Theory]
    [InlineData("{}", "data must have 'observation' (one value) or 'observations' (an array of values)")]
    [InlineData("""{"observation":1,"observations":[]}""", "data must have either 'observation' or 'observations', not both")]
    [InlineData("""{"observations":"1,2"}""", "data.observations must be an array (found a string)")]
    [InlineData("""{"observation":"2.5"}""", "data.observation must be a finite number (found a string)")]
    [InlineData("""{"observation":"NaN"}""", "data.observation must be a finite number (found a string)")]
    [InlineData("""{"observation":"-Infinity"}""", "data.observation must be a finite number (found a string)")]
    [InlineData("""{"observation":1e400}""", "data.observation must be a finite number (found a number out of range)")]
    [InlineData("""{"observation":-1e309}""", "data.observation must be a finite number (found a number out of range)")]
    [InlineData("""{"observation":true}""", "data.observation must be a finite number (found a boolean)")]
    [InlineData("""{"observations":[1,null]}""", "data.observations[1] must be a finite number (found null)")]
    [InlineData("""{"observations":[1e308,-1e308]}""", "data: a reading is too far from the current mean for double-precision numbers")]
    [InlineData("\"reading\"", "data must be a JSON object (found a string)")]
    public void Bad_data_is_refused_with_a_message_that_names_the_field(string data, string message)
    {
        var error = Assert.Throws<InvalidModelDataException>(() => Sensor.Infer(Fresh, Parameters(0, 1e6, 1, 1), data));
        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void A_bad_event_fails_the_whole_learning_call_and_names_the_event()
    {
        var error = Assert.Throws<InvalidModelDataException>(() => Sensor.Learn(
            Fresh, Parameters(0, 1, 1, 1), """{"observation":1}""", """{"observation":2}""", """{"value":3}"""));
        Assert.Equal("event 3: data must have 'observation' (one value) or 'observations' (an array of values)", error.Message);
    }

    [Theory]
    [InlineData("""{"sampling_interval":0,"process_noise":1,"sensor_noise":1,"initial_mean":0,"initial_variance":1}""", "argument sampling_interval must be a positive finite number")]
    [InlineData("""{"sampling_interval":-1,"process_noise":1,"sensor_noise":1,"initial_mean":0,"initial_variance":1}""", "argument sampling_interval must be a positive finite number")]
    [InlineData("""{"sampling_interval":"1s","process_noise":1,"sensor_noise":1,"initial_mean":0,"initial_variance":1}""", "argument sampling_interval must be a positive finite number")]
    [InlineData("""{"process_noise":1,"sensor_noise":1,"initial_mean":0,"initial_variance":1}""", "argument sampling_interval is missing; it must be a positive finite number")]
    [InlineData("""{"sampling_interval":1,"process_noise":-0.1,"sensor_noise":1,"initial_mean":0,"initial_variance":1}""", "argument process_noise must be a finite number, zero or more")]
    [InlineData("""{"sampling_interval":1,"process_noise":1,"sensor_noise":0,"initial_mean":0,"initial_variance":1}""", "argument sensor_noise must be a positive finite number")]
    [InlineData("""{"sampling_interval":1,"process_noise":1,"sensor_noise":1,"initial_mean":[0],"initial_variance":1}""", "argument initial_mean must be a finite number")]
    [InlineData("""{"sampling_interval":1,"process_noise":1,"sensor_noise":1,"initial_mean":0,"initial_variance":-1}""", "argument initial_variance must be a finite number, zero or more")]
    [InlineData("""{"sampling_interval":1e300,"process_noise":1e300,"sensor_noise":1,"initial_mean":0,"initial_variance":1}""", "arguments process_noise, sensor_noise and sampling_interval give noise variances out of the range of double-precision numbers")]
    [InlineData("""{"sampling_interval":1,"process_noise":1,"sensor_noise":1e-200,"initial_mean":0,"initial_variance":1}""", "arguments process_noise, sensor_noise and sampling_interval give noise variances out of the range of double-precision numbers")]
    public void Bad_arguments_are_refused_before_an_instance_exists(string arguments, string message)
    {
        Assert.Equal(message, Assert.Throws<InvalidModelDataException>(() => Sensor.InitialState(arguments)).Message);
        Assert.Equal(message, Assert.Throws<InvalidModelDataException>(() => Sensor.InitialParameters(arguments)).Message);
    }

    private static Arbitrary<(double P0, double Q, double R, double M0, double[] Readings)> Filters =>
        (from p0 in Gen.Choose(0, 1_000_000)
         from q in Gen.Choose(0, 10_000)
         from r in Gen.Choose(1, 10_000)
         from m0 in Gen.Choose(-1000, 1000)
         from readings in Gen.ArrayOf(Gen.Choose(-100_000, 100_000))
         select (p0 / 100.0, q / 1000.0, r / 1000.0, (double)m0, readings.Select(static y => y / 100.0).ToArray())).ToArbitrary();

    [Property(MaxTest = 200)]
    public Property Each_filtered_variance_is_never_negative_nor_above_the_previous_one_plus_Q_and_each_mean_lies_between_the_previous_mean_and_the_reading() =>
        Prop.ForAll(Filters, input =>
        {
            var (p0, q, r, m0, readings) = input;
            var result = Sensor.Infer(Fresh, Parameters(m0, p0, q, r), $$"""{"observations":[{{string.Join(',', readings.Select(static y => y.ToString("R", CultureInfo.InvariantCulture)))}}]}""").Results;
            var means = Numbers(result, "means");
            var variances = Numbers(result, "variances");
            var (m, p) = (m0, p0);
            for (var i = 0; i < readings.Length; i++)
            {
                var slack = 1e-12 * Math.Max(1, Math.Abs(m) + Math.Abs(readings[i]));
                if (variances[i] < 0 || variances[i] > p + q || variances[i] > r
                    || means[i] < Math.Min(m, readings[i]) - slack || means[i] > Math.Max(m, readings[i]) + slack)
                {
                    return false;
                }

                (m, p) = (means[i], variances[i]);
            }

            return means.Length == readings.Length;
        });
}
