namespace RxInfer.Models.Tests;

public sealed class InMemoryModelInstanceStoreContractTests : ModelInstanceStoreContractTests
{
    protected override Task<IModelInstanceStore> CreateStoreAsync() => Task.FromResult<IModelInstanceStore>(new InMemoryModelInstanceStore());
}
