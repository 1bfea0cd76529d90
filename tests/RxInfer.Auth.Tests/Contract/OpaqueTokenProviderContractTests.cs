namespace RxInfer.Auth.Tests.Contract;

public sealed class OpaqueTokenProviderContractTests : TokenProviderContractTests
{
    protected override string ProviderName => "opaque";

    protected override void ConfigureProvider(RxInferAuthBuilder builder) => builder.AddOpaqueTokens();
}

/// <summary>The same contract with the development token enabled in front of the opaque provider: it changes nothing for other tokens.</summary>
public sealed class OpaqueWithDevelopmentTokenContractTests : TokenProviderContractTests
{
    protected override string ProviderName => "opaque";

    protected override void ConfigureProvider(RxInferAuthBuilder builder) => builder.AddOpaqueTokens();

    protected override void ConfigureMore(RxInferAuthBuilder builder) => builder.AddDevelopmentToken();
}
