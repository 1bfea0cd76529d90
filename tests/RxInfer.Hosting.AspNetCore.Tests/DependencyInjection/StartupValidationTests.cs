using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RxInfer.Models;

namespace RxInfer.Hosting.AspNetCore.Tests;

/// <summary>
/// Options are checked when the host starts, even when nothing has asked for them yet: these hosts register the
/// options and start, and resolve nothing else first, so only the registrations' <c>ValidateOnStart()</c> can fail them.
/// </summary>
public sealed class StartupValidationTests
{
    private static async Task<OptionsValidationException> StartFailsAsync(Action<IServiceCollection> register)
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        register(builder.Services);
        await using var app = builder.Build();

        return await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public async Task An_endpoint_body_limit_of_zero_or_less_fails_when_the_host_starts(long limit)
    {
        var error = await StartFailsAsync(services => services.AddRxInferEndpoints(o => o.MaxRequestBodySize = limit));

        Assert.Contains($"RxInferEndpointOptions.MaxRequestBodySize must be greater than zero (was {limit}).", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_empty_endpoint_authentication_scheme_fails_when_the_host_starts()
    {
        var error = await StartFailsAsync(services => services.AddRxInferEndpoints(o => o.AuthenticationScheme = ""));

        Assert.Contains("The RxInferEndpointOptions.AuthenticationScheme field is required.", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("AdminRole", "The RxInferEndpointOptions.AdminRole field is required.")]
    [InlineData("ServerEdition", "The RxInferEndpointOptions.ServerEdition field is required.")]
    [InlineData("DiscoveryCacheDuration", "The field RxInferEndpointOptions.DiscoveryCacheDuration must be between 00:00:00 and 1.00:00:00.")]
    [InlineData("AnonymousTokensPerMinute", "The field RxInferEndpointOptions.AnonymousTokensPerMinute must be between 0 and 2147483647.")]
    public async Task An_invalid_endpoint_setting_in_code_fails_at_start_naming_the_property_only(string property, string message)
    {
        var error = await StartFailsAsync(services => services.AddRxInferEndpoints(o =>
        {
            switch (property)
            {
                case "AdminRole": o.AdminRole = " "; break;
                case "ServerEdition": o.ServerEdition = ""; break;
                case "DiscoveryCacheDuration": o.DiscoveryCacheDuration = TimeSpan.FromDays(2); break;
                default: o.AnonymousTokensPerMinute = -1; break;
            }
        }));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("(configuration", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-3)]
    public async Task A_description_limit_of_zero_or_less_fails_when_the_host_starts(int length)
    {
        var error = await StartFailsAsync(services => services.AddRxInferModels(o => o.MaxDescriptionLength = length));

        Assert.Contains("The field RxInferModelsOptions.MaxDescriptionLength must be between 1 and 2147483647.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_empty_model_location_fails_when_the_host_starts()
    {
        var error = await StartFailsAsync(services => services.AddRxInferModels(o => o.Locations = ["models", "  "]));

        Assert.Contains("RxInferModelsOptions.Locations[1] must name a folder.", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--RxInfer:Endpoints:MaxRequestBodySize=0", "RxInferEndpointOptions.MaxRequestBodySize (configuration RxInfer:Endpoints:MaxRequestBodySize) must be greater than zero (was 0).")]
    [InlineData("--RxInfer:Endpoints:AdminRole=", "The RxInferEndpointOptions.AdminRole (configuration RxInfer:Endpoints:AdminRole) field is required.")]
    [InlineData("--RxInfer:Models:MaxDescriptionLength=0", "The field RxInferModelsOptions.MaxDescriptionLength (configuration RxInfer:Models:MaxDescriptionLength) must be between 1 and 2147483647.")]
    public async Task The_sample_host_with_an_invalid_setting_fails_at_start_naming_it(string setting, string message)
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(async () =>
        {
            await using var host = await SampleHost.StartAsync([setting]);
        });

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_adapter_and_models_registrations_stand_on_their_own_without_AddLogging()
    {
        var services = new ServiceCollection();
        services.AddRxInferModels().AddModel(ModelDefinition.Create("m", "d", "a", ["user"]));
        services.AddRxInferEndpoints();
        services.AddRxInferAuthentication();

        using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });

        Assert.NotNull(provider.GetRequiredService<IModelCatalog>().FindModel("m", ["user"]));
        var created = await provider.GetRequiredService<IModelInstanceService>().CreateAsync(new ModelCaller("s", ["user"]), "m", null, null);
        Assert.Equal(ModelInstanceCreationStatus.Created, created.Status);
        Assert.NotNull(provider.GetRequiredService<Microsoft.AspNetCore.Authorization.IAuthorizationService>());
        Assert.Contains(provider.GetServices<IExceptionHandler>(), static h => h is RxInferExceptionHandler);
        Assert.NotNull(provider.GetRequiredService<IProblemDetailsService>());
        Assert.NotNull(await provider.GetRequiredService<IAuthenticationSchemeProvider>().GetSchemeAsync(RxInferDefaults.AuthenticationScheme));
    }
}
