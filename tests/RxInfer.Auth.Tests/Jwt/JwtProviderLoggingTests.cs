using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RxInfer.Auth;
using static RxInfer.Auth.Tests.Jwt.JwtTestKeys;

namespace RxInfer.Auth.Tests.Jwt;

/// <summary>What the provider logs: failures without the token, no failure for expected rejections.</summary>
public sealed class JwtProviderLoggingTests
{
    [Fact]
    public async Task An_unexpected_failure_is_logged_without_the_token_and_rejects_the_token()
    {
        using var jwt = JwtHarness.Create(options => (options.Keys, options.CacheSize) = ([TestKeys.Es256()], 0));
        var token = (await jwt.IssueAsync()).Token;
        // A failure nobody expects: the ring's EC key disposed under the validator (ObjectDisposedException).
        jwt.Services.GetRequiredService<JwtKeyRingSource>().Load(jwt.Services.GetRequiredService<IOptions<JwtTokenOptions>>().Value, out _)!.Dispose();

        var outcome = await jwt.ValidateAsync(token);

        Assert.Equal(TokenRejectionReason.Malformed, outcome.Reason);
        var record = Assert.Single(jwt.Logs.GetSnapshot(), r => r.Id.Name == "UnexpectedJwtValidationFailure");
        Assert.Equal(LogLevel.Error, record.Level);
        Assert.Contains("System.ObjectDisposedException", record.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Segments(token)[2], record.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Segments(token)[1], record.Message, StringComparison.Ordinal);
        Assert.Null(record.Exception);
    }

    [Fact]
    public async Task Expected_rejections_log_no_failure()
    {
        using var jwt = JwtHarness.Hs256();
        var parts = Segments((await jwt.IssueAsync()).Token);

        Assert.Equal(TokenRejectionReason.InvalidSignature, await jwt.ReasonAsync(parts[0] + "." + parts[1] + ".AAAA"));
        Assert.Equal(TokenRejectionReason.Malformed, await jwt.ReasonAsync("bm90IGpzb24.e30.AAAA"));
        Assert.Equal(TokenRejectionReason.InvalidIssuer, await jwt.ReasonAsync(SignHs256(Header(), new Dictionary<string, object>(Payload(TestClock.Start)) { ["iss"] = "x" }, TestKeys.HmacSecret)));

        Assert.DoesNotContain(jwt.Logs.GetSnapshot(), r => r.Level >= LogLevel.Warning);
    }

    [Fact]
    public async Task No_log_line_contains_token_text()
    {
        using var jwt = JwtHarness.Hs256();
        var issued = await jwt.IssueAsync();
        await jwt.ValidateAsync(issued.Token);
        var parts = Segments(issued.Token);
        await jwt.ValidateAsync(parts[0] + "." + parts[1] + ".AAAA");
        await jwt.Revoker.RevokeAsync(issued.Identity.TokenId);
        await jwt.ValidateAsync(issued.Token);

        var logs = jwt.Logs.GetSnapshot();
        Assert.NotEmpty(logs);
        Assert.All(logs, record => Assert.DoesNotContain(parts[2], record.Message, StringComparison.Ordinal));
        Assert.All(logs, record => Assert.DoesNotContain(parts[1], record.Message, StringComparison.Ordinal));
    }
}
