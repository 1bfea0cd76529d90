using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using RxInfer.Auth;

namespace RxInfer.Auth.Tests.Jwt;

/// <summary>The JWT provider as a host meets it: built through the public DI, time from a fake clock, logs captured.</summary>
internal sealed class JwtHarness : IDisposable
{
    private JwtHarness(FakeTimeProvider time, ServiceProvider services)
    {
        Time = time;
        Services = services;
    }

    public FakeTimeProvider Time { get; }

    public ServiceProvider Services { get; }

    public ITokenIssuer Issuer => Services.GetRequiredService<ITokenIssuer>();

    public ITokenValidator Validator => Services.GetRequiredService<ITokenValidator>();

    public ITokenRevoker Revoker => Services.GetRequiredService<ITokenRevoker>();

    public FakeLogCollector Logs => Services.GetFakeLogCollector();

    public static JwtHarness Create(Action<JwtTokenOptions> configure, FakeTimeProvider? time = null, Action<RxInferAuthOptions>? auth = null)
    {
        time ??= TestClock.NewTimeProvider();
        var services = new ServiceCollection()
            .AddSingleton<TimeProvider>(time)
            .AddFakeLogging(options => options.CollectRecordsForDisabledLogLevels = true);
        (auth is null ? services.AddRxInferAuth() : services.AddRxInferAuth(auth)).AddJwtTokens(configure);
        return new JwtHarness(time, services.BuildServiceProvider());
    }

    /// <summary>An HS256 ring with the shared test secret as key "hs-1" and no clock skew.</summary>
    public static JwtHarness Hs256(Action<JwtTokenOptions>? configure = null) => Create(options =>
    {
        options.Keys = [TestKeys.Hs256()];
        options.ClockSkew = TimeSpan.Zero;
        configure?.Invoke(options);
    });

    public Task<IssuedToken> IssueAsync(string subject = "alice", params string[] roles) =>
        Issuer.IssueAsync(new TokenRequest(subject, roles.Length == 0 ? ["user"] : roles)).AsTask();

    public async Task<TokenValidationOutcome> ValidateAsync(string token) => await Validator.ValidateAsync(token);

    public async Task<TokenRejectionReason> ReasonAsync(string token) => (await ValidateAsync(token)).Reason;

    public void Dispose() => Services.Dispose();
}
