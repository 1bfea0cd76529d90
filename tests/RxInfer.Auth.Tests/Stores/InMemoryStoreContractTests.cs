using Microsoft.Extensions.Time.Testing;

namespace RxInfer.Auth.Tests.Stores;

/// <summary>The in-memory access-token store, as registered by <c>AddRxInferAuth()</c>, keeps the store contract.</summary>
public sealed class InMemoryOpaqueTokenStoreContractTests : OpaqueTokenStoreContractTests
{
    private ServiceProvider? _services;

    protected override Task<IOpaqueTokenStore> CreateStoreAsync(FakeTimeProvider time)
    {
        _services = TestServices.Build(time);
        return Task.FromResult(_services.GetRequiredService<IOpaqueTokenStore>());
    }

    protected override async Task DisposeStoreAsync() => await _services!.DisposeAsync();
}

/// <summary>The in-memory API key store, as registered by <c>AddRxInferAuth()</c>, keeps the store contract.</summary>
public sealed class InMemoryApiKeyStoreContractTests : OpaqueTokenStoreContractTests
{
    private ServiceProvider? _services;

    protected override Task<IOpaqueTokenStore> CreateStoreAsync(FakeTimeProvider time)
    {
        _services = TestServices.Build(time);
        return Task.FromResult<IOpaqueTokenStore>(_services.GetRequiredService<IApiKeyStore>());
    }

    protected override async Task DisposeStoreAsync() => await _services!.DisposeAsync();
}

/// <summary>The in-memory revocation store, as registered by <c>AddJwtTokens()</c>, keeps the store contract.</summary>
public sealed class InMemoryRevocationStoreContractTests : RevocationStoreContractTests
{
    private ServiceProvider? _services;

    protected override Task<IRevocationStore> CreateStoreAsync(FakeTimeProvider time)
    {
        _services = TestServices.Build(time, builder => builder.AddJwtTokens());
        return Task.FromResult(_services.GetRequiredService<IRevocationStore>());
    }

    protected override async Task DisposeStoreAsync() => await _services!.DisposeAsync();
}

/// <summary>The in-memory API key store, as registered by <c>AddRxInferAuth()</c>, keeps the API key listing contract.</summary>
public sealed class InMemoryApiKeyListingContractTests : ApiKeyStoreContractTests
{
    private ServiceProvider? _services;

    protected override Task<IApiKeyStore> CreateStoreAsync(FakeTimeProvider time)
    {
        _services = TestServices.Build(time);
        return Task.FromResult(_services.GetRequiredService<IApiKeyStore>());
    }

    protected override async Task DisposeStoreAsync() => await _services!.DisposeAsync();
}
