using RxInfer.Auth.Tests.Jwt;

namespace RxInfer.Auth.Tests.Contract;

/// <summary>The provider contract on signed JWTs with an HS256 key and no clock skew, so <c>exp</c> is exact.</summary>
public sealed class JwtTokenProviderContractTests : TokenProviderContractTests
{
    protected override string ProviderName => "jwt";

    protected override void ConfigureProvider(RxInferAuthBuilder builder) => builder.AddJwtTokens(options =>
    {
        options.Keys = [TestKeys.Hs256()];
        options.ClockSkew = TimeSpan.Zero;
    });
}

/// <summary>The provider contract on signed JWTs with an ES256 key and no clock skew.</summary>
public sealed class JwtEs256TokenProviderContractTests : TokenProviderContractTests
{
    protected override string ProviderName => "jwt";

    protected override void ConfigureProvider(RxInferAuthBuilder builder) => builder.AddJwtTokens(options =>
    {
        options.Keys = [TestKeys.Es256()];
        options.ClockSkew = TimeSpan.Zero;
    });
}
