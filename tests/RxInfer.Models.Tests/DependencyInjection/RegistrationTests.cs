using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using RxInfer.Auth;

namespace RxInfer.Models.Tests;

public sealed class RegistrationTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    public void A_max_description_length_of_zero_or_less_fails_at_start_with_a_clear_message(int length)
    {
        var services = new ServiceCollection();
        services.AddRxInferModels(o => o.MaxDescriptionLength = length);
        using var provider = services.BuildServiceProvider();

        var exception = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());
        Assert.Contains("The field RxInferModelsOptions.MaxDescriptionLength must be between 1 and 2147483647.", exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("MaxInstancesPerSubject", "-1", "The field RxInferModelsOptions.MaxInstancesPerSubject (configuration MaxInstancesPerSubject) must be between 0 and 2147483647.")]
    [InlineData("MaxInstanceSize", "-65536", "The field RxInferModelsOptions.MaxInstanceSize (configuration MaxInstanceSize) must be between 0 and 2147483647.")]
    [InlineData("MaxInstances", "-2", "The field RxInferModelsOptions.MaxInstances (configuration MaxInstances) must be between 0 and 2147483647.")]
    [InlineData("InstanceRetention", "-00:00:01", "RxInferModelsOptions.InstanceRetention (configuration InstanceRetention) must not be negative (was -00:00:01).")]
    [InlineData("RetentionSweepInterval", "00:00:00", "RxInferModelsOptions.RetentionSweepInterval (configuration RetentionSweepInterval) must be greater than zero (was 00:00:00).")]
    public void A_negative_quota_or_retention_from_configuration_fails_at_start_naming_the_option(string option, string value, string message)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [option] = value }).Build();
        var services = new ServiceCollection();
        services.AddRxInferModels(configuration);
        using var provider = services.BuildServiceProvider();

        var exception = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());
        Assert.Contains(message, exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_message_names_the_configuration_path_only_when_the_options_were_bound_from_configuration()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["RxInfer:Models:MaxDescriptionLength"] = "0",
            ["RxInfer:Models:Locations:0"] = " ",
        }).Build();

        var bound = StartupFailure(services => services.AddRxInferModels(configuration.GetSection("RxInfer:Models")));
        var inCode = StartupFailure(services => services.AddRxInferModels(o => (o.MaxDescriptionLength, o.Locations) = (0, [" "])));

        Assert.Contains("The field RxInferModelsOptions.MaxDescriptionLength (configuration RxInfer:Models:MaxDescriptionLength) must be between 1 and 2147483647.", bound, StringComparison.Ordinal);
        Assert.Contains("RxInferModelsOptions.Locations[0] (configuration RxInfer:Models:Locations:0) must name a folder.", bound, StringComparison.Ordinal);
        Assert.Contains("The field RxInferModelsOptions.MaxDescriptionLength must be between 1 and 2147483647.", inCode, StringComparison.Ordinal);
        Assert.Contains("RxInferModelsOptions.Locations[0] must name a folder.", inCode, StringComparison.Ordinal);
        Assert.DoesNotContain("configuration", inCode, StringComparison.Ordinal);
    }

    [Fact]
    public void Annotation_and_cross_field_failures_are_reported_together_one_per_rule()
    {
        var message = StartupFailure(services => services.AddRxInferModels(o =>
        {
            o.MaxDescriptionLength = 0;
            o.MaxEventsPerAttach = 5;
            o.MaxEventsPerEpisode = 4;
            o.RuntimeTimeout = TimeSpan.FromDays(25);
        }));

        Assert.Contains("The field RxInferModelsOptions.MaxDescriptionLength must be between 1 and 2147483647.", message, StringComparison.Ordinal);
        Assert.Contains("The field RxInferModelsOptions.RuntimeTimeout must be between 00:00:00 exclusive and 24.00:00:00.", message, StringComparison.Ordinal);
        Assert.Contains("RxInferModelsOptions.MaxEventsPerAttach (5) must not be greater than RxInferModelsOptions.MaxEventsPerEpisode (4).", message, StringComparison.Ordinal);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(message, "MaxDescriptionLength"));
    }

    private static string StartupFailure(Action<IServiceCollection> register)
    {
        var services = new ServiceCollection();
        register(services);
        using var provider = services.BuildServiceProvider();
        return Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate()).Message;
    }

    [Fact]
    public void Zero_limits_and_a_zero_retention_are_valid()
    {
        var services = new ServiceCollection();
        services.AddRxInferModels(o =>
        {
            o.MaxInstancesPerSubject = 0;
            o.MaxInstanceSize = 0;
            o.MaxInstances = 0;
            o.InstanceRetention = TimeSpan.Zero;
        });
        using var provider = services.BuildServiceProvider();

        provider.GetRequiredService<IStartupValidator>().Validate();
    }

    [Fact]
    public void An_empty_location_fails_at_start()
    {
        var services = new ServiceCollection();
        services.AddRxInferModels(o => o.Locations = ["ok", " "]);
        using var provider = services.BuildServiceProvider();

        var exception = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());
        Assert.Contains("RxInferModelsOptions.Locations[1] must name a folder.", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_defaults_pass_validation()
    {
        var services = new ServiceCollection();
        services.AddRxInferModels();
        using var provider = services.BuildServiceProvider();

        provider.GetRequiredService<IStartupValidator>().Validate();
        var options = provider.GetRequiredService<IOptions<RxInferModelsOptions>>().Value;
        Assert.Equal(128, options.MaxDescriptionLength);
        Assert.Empty(options.Locations);
        Assert.Equal(100, options.MaxInstancesPerSubject);
        Assert.Equal(64 * 1024, options.MaxInstanceSize);
        Assert.Equal(10_000, options.MaxInstances);
        Assert.Equal(TimeSpan.FromDays(30), options.InstanceRetention);
        Assert.Equal(TimeSpan.FromHours(1), options.RetentionSweepInterval);
    }

    [Fact]
    public void Options_bind_from_configuration()
    {
        using var folder = new ModelsFolder();
        folder.Write("m", "name: FromConfig\ndescription: d\nauthor: a\nroles: [user]");
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["RxInfer:Models:MaxDescriptionLength"] = "7",
            ["RxInfer:Models:Locations:0"] = folder.Path,
        }).Build();

        var services = new ServiceCollection();
        services.AddRxInferModels(configuration.GetSection("RxInfer:Models"));
        using var provider = services.BuildServiceProvider();

        Assert.Equal(7, provider.GetRequiredService<IOptions<RxInferModelsOptions>>().Value.MaxDescriptionLength);
        Assert.Equal(["FromConfig"], provider.GetRequiredService<IModelCatalog>().GetAvailableModels(["user"]).Select(m => m.Name));
    }

    [Fact]
    public void Calling_it_twice_registers_each_service_once_and_keeps_every_model()
    {
        var services = new ServiceCollection();
        services.AddRxInferModels().AddModel(ModelDefinition.Create("One", "d", "a", ["user"]));
        services.AddRxInferModels().AddModel(ModelDefinition.Create("Two", "d", "a", ["user"]));

        Assert.Single(services, d => d.ServiceType == typeof(IModelCatalog));
        Assert.Single(services, d => d.ServiceType == typeof(IModelInstanceService));
        Assert.Equal(2, services.Count(d => d.ServiceType == typeof(IValidateOptions<RxInferModelsOptions>))); // the annotations' and the cross-field rules', each once
        using var provider = services.BuildServiceProvider();
        Assert.Equal(["One", "Two"], provider.GetRequiredService<IModelCatalog>().GetAvailableModels(["user"]).Select(m => m.Name));
    }

    [Fact]
    public void The_instance_store_can_be_replaced()
    {
        var services = new ServiceCollection();
        services.AddRxInferModels().AddModel(ModelDefinition.Create("One", "d", "a", ["user"])).AddInstanceStore<RecordingStore>();
        using var provider = services.BuildServiceProvider();

        var store = Assert.IsType<RecordingStore>(provider.GetRequiredService<IModelInstanceStore>());
        var created = Sync.Run(provider.GetRequiredService<IModelInstanceService>().CreateAsync(new ModelCaller("s", ["user"]), "One", null, null));
        Assert.Same(created.Instance, Assert.Single(store.Added));
    }

    [Fact]
    public void It_composes_with_the_auth_registration()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddRxInferAuth();
        services.AddRxInferModels().AddModel(ModelDefinition.Create("ForAnalysts", "d", "a", ["analyst"]));
        using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });

        Assert.Single(services, d => d.ServiceType == typeof(TimeProvider));
        var identity = new TokenIdentity("dana", "t-1", ["analyst"], TokenIdentity.NeverExpires, "test");
        var roles = Sync.Run(provider.GetRequiredService<IRoleResolver>().GetRolesAsync(identity));
        var caller = new ModelCaller(identity.Subject, roles) { TokenExpiresAt = identity.ExpiresAt };

        Assert.Equal(["ForAnalysts"], provider.GetRequiredService<IModelCatalog>().GetAvailableModels(caller.Roles).Select(m => m.Name));
    }

    private sealed class RecordingStore() : DelegatingModelInstanceStore(new InMemoryModelInstanceStore())
    {
        public List<ModelInstance> Added { get; } = [];

        public override ValueTask<InstanceAddResult> AddAsync(ModelInstance instance, System.Text.Json.JsonElement defaultParameters, InstanceLimits limits, DateTimeOffset retainUntil, CancellationToken cancellationToken = default)
        {
            Added.Add(instance);
            return base.AddAsync(instance, defaultParameters, limits, retainUntil, cancellationToken);
        }
    }
}
