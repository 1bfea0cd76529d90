using Microsoft.Extensions.DependencyInjection;
using RxInfer.Auth;
using RxInfer.Models;

namespace RxInfer.Hosting.AspNetCore;

/// <summary>What <c>services.AddRxInfer(configuration)</c> registered, to configure further in code.</summary>
public sealed class RxInferBuilder
{
    internal RxInferBuilder(IServiceCollection services, RxInferAuthBuilder auth, RxInferModelsBuilder models)
    {
        Services = services;
        Auth = auth;
        Models = models;
    }

    /// <summary>The service collection being configured.</summary>
    public IServiceCollection Services { get; }

    /// <summary>The token services: <c>AddDevelopmentToken()</c>, <c>AddRoleResolver&lt;T&gt;()</c>, API keys, credential validation.</summary>
    public RxInferAuthBuilder Auth { get; }

    /// <summary>The model catalogue and instances: <c>AddModel(...)</c>, <c>AddModelsFromDirectory(...)</c>, the runtime and the store.</summary>
    public RxInferModelsBuilder Models { get; }
}
