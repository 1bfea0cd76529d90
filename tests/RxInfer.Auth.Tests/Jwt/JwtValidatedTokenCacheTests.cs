using Microsoft.Extensions.DependencyInjection;
using RxInfer.Auth;

namespace RxInfer.Auth.Tests.Jwt;

/// <summary>The provider's cache of validated tokens: same identity, synchronous and allocation-free hits.</summary>
public sealed class JwtValidatedTokenCacheTests
{
    [Fact]
    public async Task Second_validation_returns_the_same_identity_instance()
    {
        using var jwt = JwtHarness.Hs256();
        var token = (await jwt.IssueAsync()).Token;

        var first = await jwt.ValidateAsync(token);
        var second = await jwt.ValidateAsync(token);

        Assert.True(second.IsValid);
        Assert.Same(first.Identity, second.Identity);
    }

    [Fact]
    public async Task Without_a_cache_each_validation_builds_a_new_identity()
    {
        using var jwt = JwtHarness.Hs256(options => options.CacheSize = 0);
        var token = (await jwt.IssueAsync()).Token;

        var first = await jwt.ValidateAsync(token);
        var second = await jwt.ValidateAsync(token);

        Assert.True(second.IsValid);
        Assert.NotSame(first.Identity, second.Identity);
    }

    [Fact]
    public async Task Cache_hit_completes_synchronously()
    {
        using var jwt = JwtHarness.Hs256();
        var token = (await jwt.IssueAsync()).Token;
        await jwt.ValidateAsync(token);

        var hit = jwt.Validator.ValidateAsync(token);

        Assert.True(hit.IsCompletedSuccessfully);
        Assert.True((await hit).IsValid);
    }

    [Fact]
    public async Task Cache_hit_allocates_nothing()
    {
        using var jwt = JwtHarness.Hs256();
        var token = (await jwt.IssueAsync()).Token;
        var validator = jwt.Validator;
        await validator.ValidateAsync(token); // the miss: signature checked, identity cached
        await validator.ValidateAsync(token); // a first hit warms up every path

        var before = GC.GetAllocatedBytesForCurrentThread();
        var valid = 0;
        for (var i = 0; i < 1000; i++)
        {
            var hit = validator.ValidateAsync(token);
            valid += hit.IsCompletedSuccessfully && (await hit).IsValid ? 1 : 0;
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(1000, valid);
        Assert.Equal(0, allocated);
    }
}
