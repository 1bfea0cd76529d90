namespace RxInfer.Models.Tests;

public sealed class InMemoryModelInstanceStoreContractTests : ModelInstanceStoreContractTests
{
    protected override Task<IModelInstanceStore> CreateStoreAsync() => Task.FromResult<IModelInstanceStore>(new InMemoryModelInstanceStore());
}

/// <summary>The quota contract on the in-memory store.</summary>
public sealed class InMemoryModelInstanceStoreQuotaContractTests : ModelInstanceStoreQuotaContractTests
{
    protected override Task<IModelInstanceStore> CreateStoreAsync() => Task.FromResult<IModelInstanceStore>(new InMemoryModelInstanceStore());
}
