using System.Buffers.Text;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RxInfer.Auth;
using static RxInfer.Auth.Tests.Jwt.JwtTestKeys;

namespace RxInfer.Auth.Tests.Jwt;

public sealed class JwtTokenProviderTests
{
    // ---- issuing ----

    [Fact]
    public async Task Issued_token_carries_the_RFC_9068_header_and_claims()
    {
        using var jwt = JwtHarness.Hs256();
        var issued = await jwt.IssueAsync("alice", "admin");

        var header = DecodeSegment(Segments(issued.Token)[0]);
        var payload = DecodeSegment(Segments(issued.Token)[1]);
        Assert.Equal("at+jwt", header.GetProperty("typ").GetString());
        Assert.Equal("hs-1", header.GetProperty("kid").GetString());
        Assert.Equal("HS256", header.GetProperty("alg").GetString());
        Assert.Equal("rxinfer", payload.GetProperty("iss").GetString());
        Assert.Equal("rxinfer", payload.GetProperty("aud").GetString());
        Assert.Equal("alice", payload.GetProperty("sub").GetString());
        Assert.Equal(issued.Identity.TokenId, payload.GetProperty("jti").GetString());
        Assert.Equal(JwtHarness.Start.ToUnixTimeSeconds(), payload.GetProperty("iat").GetInt64());
        Assert.Equal(JwtHarness.Start.ToUnixTimeSeconds(), payload.GetProperty("nbf").GetInt64());
        Assert.Equal(JwtHarness.Start.AddHours(1).ToUnixTimeSeconds(), payload.GetProperty("exp").GetInt64());
        Assert.Equal(System.Text.Json.JsonValueKind.Array, payload.GetProperty("roles").ValueKind);
        Assert.Equal(["admin"], payload.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal(JwtHarness.Start.AddHours(1), issued.Identity.ExpiresAt);
        Assert.Equal("jwt", issued.Identity.IssuedBy);
    }

    [Fact]
    public async Task Api_keys_are_not_issued_as_JWTs()
    {
        using var jwt = JwtHarness.Hs256();

        await Assert.ThrowsAsync<ArgumentException>(() =>
            jwt.Issuer.IssueAsync(new TokenRequest("alice", ["user"]) { Kind = TokenKind.ApiKey }).AsTask());
    }

    [Theory]
    [InlineData("RS256")]
    [InlineData("ES256")]
    public async Task Asymmetric_keys_issue_and_validate(string algorithm)
    {
        using var jwt = JwtHarness.Create(options =>
        {
            options.Keys = [algorithm == "RS256" ? Rs256() : Es256()];
            options.ClockSkew = TimeSpan.Zero;
        });
        var issued = await jwt.IssueAsync();

        Assert.Equal(algorithm, DecodeSegment(Segments(issued.Token)[0]).GetProperty("alg").GetString());
        Assert.True((await jwt.ValidateAsync(issued.Token)).IsValid);
    }

    // ---- algorithm attacks ----

    [Fact]
    public async Task Alg_none_is_an_invalid_algorithm()
    {
        using var jwt = JwtHarness.Hs256();
        var token = Encode(Header(alg: "none")) + "." + Encode(Payload(JwtHarness.Start)) + ".";

        Assert.Equal(TokenRejectionReason.InvalidAlgorithm, await jwt.ReasonAsync(token));
    }

    [Fact]
    public async Task HS256_signed_with_the_RS256_public_key_as_secret_is_an_invalid_algorithm()
    {
        using var jwt = JwtHarness.Create(options => options.Keys = [Rs256()]);
        var token = SignHs256(Header(alg: "HS256", kid: "rs-1"), Payload(JwtHarness.Start), Encoding.ASCII.GetBytes(RsaPublicPem));

        Assert.Equal(TokenRejectionReason.InvalidAlgorithm, await jwt.ReasonAsync(token));
    }

    [Fact]
    public async Task HS256_signed_with_the_ES256_public_key_as_secret_is_an_invalid_algorithm()
    {
        using var jwt = JwtHarness.Create(options => options.Keys = [Es256()]);
        var token = SignHs256(Header(alg: "HS256", kid: "es-1"), Payload(JwtHarness.Start), Encoding.ASCII.GetBytes(EcPublicPem));

        Assert.Equal(TokenRejectionReason.InvalidAlgorithm, await jwt.ReasonAsync(token));
    }

    [Fact]
    public async Task HS256_on_an_RSA_key_is_invalid_even_when_another_key_of_the_ring_is_HS256()
    {
        using var jwt = JwtHarness.Create(options => options.Keys = [Hs256(), Rs256(publicOnly: true)]);
        var token = SignHs256(Header(alg: "HS256", kid: "rs-1"), Payload(JwtHarness.Start), Encoding.ASCII.GetBytes(RsaPublicPem));

        Assert.Equal(TokenRejectionReason.InvalidAlgorithm, await jwt.ReasonAsync(token));
    }

    [Fact]
    public async Task Algorithm_outside_the_ring_is_invalid_even_with_a_valid_signature()
    {
        using var jwt = JwtHarness.Hs256();
        var token = SignEs256(Header(alg: "ES256", kid: "hs-1"), Payload(JwtHarness.Start), Ec);

        Assert.Equal(TokenRejectionReason.InvalidAlgorithm, await jwt.ReasonAsync(token));
    }

    // ---- keys and signatures ----

    [Fact]
    public async Task Unknown_kid_is_an_invalid_signature()
    {
        using var jwt = JwtHarness.Hs256();
        var token = SignHs256(Header(kid: "nobody"), Payload(JwtHarness.Start), HmacSecret);

        Assert.Equal(TokenRejectionReason.InvalidSignature, await jwt.ReasonAsync(token));
    }

    [Fact]
    public async Task Missing_kid_is_an_invalid_signature()
    {
        using var jwt = JwtHarness.Hs256();
        var header = new Dictionary<string, object> { ["alg"] = "HS256", ["typ"] = "at+jwt" };
        var token = SignHs256(header, Payload(JwtHarness.Start), HmacSecret);

        Assert.Equal(TokenRejectionReason.InvalidSignature, await jwt.ReasonAsync(token));
    }

    [Fact]
    public async Task Token_signed_with_another_secret_is_an_invalid_signature()
    {
        using var jwt = JwtHarness.Hs256();
        var token = SignHs256(Header(), Payload(JwtHarness.Start), OtherHmacSecret);

        Assert.Equal(TokenRejectionReason.InvalidSignature, await jwt.ReasonAsync(token));
    }

    [Fact]
    public async Task Signature_with_one_bit_flipped_is_an_invalid_signature()
    {
        using var jwt = JwtHarness.Hs256();
        var issued = await jwt.IssueAsync();
        var parts = Segments(issued.Token);
        var signature = Base64Url.DecodeFromChars(parts[2]);
        signature[10] ^= 0x01;

        var tampered = parts[0] + "." + parts[1] + "." + Encode(signature);

        Assert.Equal(TokenRejectionReason.InvalidSignature, await jwt.ReasonAsync(tampered));
    }

    [Fact]
    public async Task Payload_altered_under_the_original_signature_is_an_invalid_signature()
    {
        using var jwt = JwtHarness.Create(options => options.Keys = [Es256()]);
        var issued = await jwt.IssueAsync("alice", "user");
        var parts = Segments(issued.Token);
        var payload = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(parts[1])).Replace("\"user\"", "\"admin\"", StringComparison.Ordinal);

        var tampered = parts[0] + "." + Encode(Encoding.UTF8.GetBytes(payload)) + "." + parts[2];

        Assert.Equal(TokenRejectionReason.InvalidSignature, await jwt.ReasonAsync(tampered));
    }

    [Fact]
    public async Task ES256_signed_by_a_key_outside_the_ring_is_an_invalid_signature()
    {
        using var jwt = JwtHarness.Create(options => options.Keys = [Es256()]);
        var token = SignEs256(Header(alg: "ES256", kid: "es-1"), Payload(JwtHarness.Start), OtherEc);

        Assert.Equal(TokenRejectionReason.InvalidSignature, await jwt.ReasonAsync(token));
    }

    // ---- issuer, audience, type, claims ----

    [Fact]
    public async Task Wrong_issuer_is_rejected()
    {
        using var jwt = JwtHarness.Hs256();
        var payload = Payload(JwtHarness.Start);
        payload["iss"] = "someone-else";

        Assert.Equal(TokenRejectionReason.InvalidIssuer, await jwt.ReasonAsync(SignHs256(Header(), payload, HmacSecret)));
    }

    [Fact]
    public async Task Wrong_audience_is_rejected()
    {
        using var jwt = JwtHarness.Hs256();
        var payload = Payload(JwtHarness.Start);
        payload["aud"] = "another-api";

        Assert.Equal(TokenRejectionReason.InvalidAudience, await jwt.ReasonAsync(SignHs256(Header(), payload, HmacSecret)));
    }

    [Theory]
    [InlineData("JWT")]
    [InlineData("id+jwt")]
    public async Task Wrong_type_is_rejected(string typ)
    {
        using var jwt = JwtHarness.Hs256();

        Assert.Equal(TokenRejectionReason.InvalidType, await jwt.ReasonAsync(SignHs256(Header(typ: typ), Payload(JwtHarness.Start), HmacSecret)));
    }

    [Fact]
    public async Task Missing_type_is_rejected()
    {
        using var jwt = JwtHarness.Hs256();
        var header = new Dictionary<string, object> { ["alg"] = "HS256", ["kid"] = "hs-1" };

        Assert.Equal(TokenRejectionReason.InvalidType, await jwt.ReasonAsync(SignHs256(header, Payload(JwtHarness.Start), HmacSecret)));
    }

    [Fact]
    public async Task Issuer_and_audience_come_from_the_options()
    {
        using var otherIssuer = JwtHarness.Hs256(options => options.Issuer = "auth.example");
        using var otherAudience = JwtHarness.Hs256(options => options.Audience = "models.example");
        using var defaults = JwtHarness.Hs256();
        var fromOtherIssuer = await otherIssuer.IssueAsync();
        var forOtherAudience = await otherAudience.IssueAsync();

        Assert.True((await otherIssuer.ValidateAsync(fromOtherIssuer.Token)).IsValid);
        Assert.True((await otherAudience.ValidateAsync(forOtherAudience.Token)).IsValid);
        Assert.Equal(TokenRejectionReason.InvalidIssuer, await defaults.ReasonAsync(fromOtherIssuer.Token));
        Assert.Equal(TokenRejectionReason.InvalidAudience, await defaults.ReasonAsync(forOtherAudience.Token));
    }

    [Theory]
    [InlineData("sub")]
    [InlineData("jti")]
    [InlineData("roles")]
    [InlineData("iat")]
    public async Task Missing_required_claim_is_invalid_claims(string claim)
    {
        using var jwt = JwtHarness.Hs256();
        var payload = Payload(JwtHarness.Start);
        payload.Remove(claim);

        Assert.Equal(TokenRejectionReason.InvalidClaims, await jwt.ReasonAsync(SignHs256(Header(), payload, HmacSecret)));
    }

    [Fact]
    public async Task Missing_exp_is_invalid_claims()
    {
        using var jwt = JwtHarness.Hs256();
        var payload = Payload(JwtHarness.Start);
        payload.Remove("exp");

        Assert.Equal(TokenRejectionReason.InvalidClaims, await jwt.ReasonAsync(SignHs256(Header(), payload, HmacSecret)));
    }

    [Fact]
    public async Task Not_before_after_expiry_is_invalid_claims_even_inside_the_skew()
    {
        // With 30 s of skew both ends are open at Start: nbf - 30 s <= Start < exp + 30 s. JsonWebTokenHandler refuses
        // such a token (its lifetime is empty); so must we.
        using var jwt = JwtHarness.Hs256(options => options.ClockSkew = TimeSpan.FromSeconds(30));
        var payload = Payload(JwtHarness.Start);
        payload["nbf"] = JwtHarness.Start.AddSeconds(10).ToUnixTimeSeconds();
        payload["exp"] = JwtHarness.Start.AddSeconds(5).ToUnixTimeSeconds();

        Assert.Equal(TokenRejectionReason.InvalidClaims, await jwt.ReasonAsync(SignHs256(Header(), payload, HmacSecret)));
    }

    [Theory]
    [InlineData("roles", "admin")]
    [InlineData("sub", 42)]
    [InlineData("jti", "")]
    public async Task Claim_of_the_wrong_type_is_invalid_claims(string claim, object value)
    {
        using var jwt = JwtHarness.Hs256();
        var payload = Payload(JwtHarness.Start);
        payload[claim] = value;

        Assert.Equal(TokenRejectionReason.InvalidClaims, await jwt.ReasonAsync(SignHs256(Header(), payload, HmacSecret)));
    }

    [Fact]
    public async Task Roles_holding_a_non_string_are_invalid_claims()
    {
        using var jwt = JwtHarness.Hs256();
        var payload = Payload(JwtHarness.Start);
        payload["roles"] = new object[] { "user", 7 };

        Assert.Equal(TokenRejectionReason.InvalidClaims, await jwt.ReasonAsync(SignHs256(Header(), payload, HmacSecret)));
    }

    // ---- time ----

    [Fact]
    public async Task Clock_skew_extends_the_end_by_the_skew_and_keeps_it_exclusive()
    {
        using var jwt = JwtHarness.Hs256(options => options.ClockSkew = TimeSpan.FromSeconds(30));
        var issued = await jwt.IssueAsync();
        var exp = issued.Identity.ExpiresAt;

        jwt.Time.SetUtcNow(exp.AddSeconds(29));
        Assert.True((await jwt.ValidateAsync(issued.Token)).IsValid);

        jwt.Time.SetUtcNow(exp.AddSeconds(30));
        Assert.Equal(TokenRejectionReason.Expired, await jwt.ReasonAsync(issued.Token));
    }

    [Fact]
    public async Task Token_whose_nbf_is_beyond_the_skew_is_not_yet_valid()
    {
        using var jwt = JwtHarness.Hs256(options => options.ClockSkew = TimeSpan.FromSeconds(30));
        var early = Payload(JwtHarness.Start);
        early["nbf"] = JwtHarness.Start.AddSeconds(31).ToUnixTimeSeconds();
        var withinSkew = Payload(JwtHarness.Start);
        withinSkew["nbf"] = JwtHarness.Start.AddSeconds(30).ToUnixTimeSeconds();

        Assert.Equal(TokenRejectionReason.NotYetValid, await jwt.ReasonAsync(SignHs256(Header(), early, HmacSecret)));
        Assert.True((await jwt.ValidateAsync(SignHs256(Header(), withinSkew, HmacSecret))).IsValid);
    }

    [Fact]
    public async Task Not_yet_valid_token_becomes_valid_at_nbf()
    {
        using var jwt = JwtHarness.Hs256();
        var payload = Payload(JwtHarness.Start);
        payload["nbf"] = JwtHarness.Start.AddMinutes(1).ToUnixTimeSeconds();
        var token = SignHs256(Header(), payload, HmacSecret);

        Assert.Equal(TokenRejectionReason.NotYetValid, await jwt.ReasonAsync(token));
        jwt.Time.Advance(TimeSpan.FromMinutes(1));
        Assert.True((await jwt.ValidateAsync(token)).IsValid);
    }

    // ---- shape ----

    [Fact]
    public async Task Token_over_the_maximum_length_is_too_large()
    {
        using var jwt = JwtHarness.Hs256(options => options.MaxTokenLength = 64);
        var issued = await jwt.IssueAsync();

        Assert.True(issued.Token.Length > 64);
        Assert.Equal(TokenRejectionReason.TooLarge, await jwt.ReasonAsync(issued.Token));
    }

    [Fact]
    public async Task Text_one_over_the_default_maximum_is_too_large_and_at_it_is_not()
    {
        using var jwt = JwtHarness.Hs256();

        Assert.Equal(TokenRejectionReason.TooLarge, await jwt.ReasonAsync(new string('a', JwtTokenOptions.DefaultMaxTokenLength + 1)));
        Assert.Equal(TokenRejectionReason.Malformed, await jwt.ReasonAsync(new string('a', JwtTokenOptions.DefaultMaxTokenLength)));
    }

    [Theory]
    [InlineData("")]
    [InlineData(".")]
    [InlineData("..")]
    [InlineData("...")]
    [InlineData("abc")]
    [InlineData("eyJhbGciOiJIUzI1NiJ9..c2ln")]
    [InlineData(".eyJzdWIiOiJhIn0.c2ln")]
    [InlineData("!!!.@@@.###")]
    [InlineData("eyJhbGc iOiJIUzI1NiJ9.e30.c2ln")]
    [InlineData("eyJhbGciOiJIUzI1NiJ9.e30=.c2ln")]
    [InlineData("Zm9v.YmFy.YmF6")]
    [InlineData("bm90IGpzb24.bm90IGpzb24.c2ln")]
    public async Task Garbage_is_malformed(string token)
    {
        using var jwt = JwtHarness.Hs256();

        Assert.Equal(TokenRejectionReason.Malformed, await jwt.ReasonAsync(token));
    }

    [Fact]
    public async Task Truncated_token_of_two_segments_is_malformed()
    {
        using var jwt = JwtHarness.Hs256();
        var parts = Segments((await jwt.IssueAsync()).Token);

        Assert.Equal(TokenRejectionReason.Malformed, await jwt.ReasonAsync(parts[0] + "." + parts[1]));
    }

    [Fact]
    public async Task Token_with_an_extra_segment_is_malformed()
    {
        using var jwt = JwtHarness.Hs256();
        var token = (await jwt.IssueAsync()).Token;

        Assert.Equal(TokenRejectionReason.Malformed, await jwt.ReasonAsync(token + ".c2ln"));
    }

    [Fact]
    public async Task JWE_shaped_text_of_five_segments_is_malformed()
    {
        using var jwt = JwtHarness.Hs256();
        var header = Encode(new Dictionary<string, object> { ["alg"] = "dir", ["enc"] = "A256GCM", ["kid"] = "hs-1" });
        var jwe = header + "..aXZpdml2aXZpdg.Y2lwaGVydGV4dA.dGFndGFndGFn";

        Assert.Equal(TokenRejectionReason.Malformed, await jwt.ReasonAsync(jwe));
    }

    // ---- key ring and rotation ----

    [Fact]
    public async Task Retired_key_still_validates_and_a_removed_key_does_not()
    {
        using var before = JwtHarness.Hs256(options => options.Keys = [Hs256("old")]);
        var oldToken = (await before.IssueAsync()).Token;

        using var rotated = JwtHarness.Hs256(options => options.Keys = [Hs256("new", OtherHmacSecret), Hs256("old")]);
        using var removed = JwtHarness.Hs256(options => options.Keys = [Hs256("new", OtherHmacSecret)]);

        Assert.True((await rotated.ValidateAsync(oldToken)).IsValid);
        Assert.Equal(TokenRejectionReason.InvalidSignature, await removed.ReasonAsync(oldToken));
    }

    [Fact]
    public async Task Rotation_signs_with_the_new_key_while_old_tokens_stay_valid()
    {
        using var before = JwtHarness.Create(options => options.Keys = [Es256("2029"), Rs256("2030")]);
        var oldToken = (await before.IssueAsync()).Token;

        using var after = JwtHarness.Create(options =>
        {
            options.Keys = [Es256("2029", publicOnly: true), Rs256("2030")];
            options.SigningKeyId = "2030";
        });
        var newToken = (await after.IssueAsync()).Token;

        Assert.Equal("2029", DecodeSegment(Segments(oldToken)[0]).GetProperty("kid").GetString());
        Assert.Equal("2030", DecodeSegment(Segments(newToken)[0]).GetProperty("kid").GetString());
        Assert.Equal("RS256", DecodeSegment(Segments(newToken)[0]).GetProperty("alg").GetString());
        Assert.True((await after.ValidateAsync(oldToken)).IsValid);
        Assert.True((await after.ValidateAsync(newToken)).IsValid);
    }

    // ---- cache ----

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

    [Fact]
    public async Task Cached_token_revoked_by_jti_fails_next_time()
    {
        using var jwt = JwtHarness.Hs256();
        var issued = await jwt.IssueAsync();
        Assert.True((await jwt.ValidateAsync(issued.Token)).IsValid);

        Assert.True(await jwt.Revoker.RevokeAsync(issued.Identity.TokenId));

        Assert.Equal(TokenRejectionReason.Revoked, await jwt.ReasonAsync(issued.Token));
        Assert.Equal(TokenRejectionReason.Revoked, await jwt.ReasonAsync(issued.Token));
    }

    [Fact]
    public async Task Cached_token_revoked_by_subject_fails_next_time_and_other_subjects_are_untouched()
    {
        using var jwt = JwtHarness.Hs256();
        var alice = await jwt.IssueAsync("alice");
        var bob = await jwt.IssueAsync("bob");
        Assert.True((await jwt.ValidateAsync(alice.Token)).IsValid);
        Assert.True((await jwt.ValidateAsync(bob.Token)).IsValid);

        Assert.Equal(0, await jwt.Revoker.RevokeSubjectAsync("alice"));

        Assert.Equal(TokenRejectionReason.Revoked, await jwt.ReasonAsync(alice.Token));
        Assert.True((await jwt.ValidateAsync(bob.Token)).IsValid);
    }

    [Fact]
    public async Task Token_issued_after_a_subject_revocation_is_valid_even_in_the_same_second()
    {
        // Issued in the same second, its iat is stamped one second later, which a clock skew of a second or more accepts.
        using var jwt = JwtHarness.Hs256(options => options.ClockSkew = TimeSpan.FromSeconds(1));
        var before = await jwt.IssueAsync("alice");
        await jwt.Revoker.RevokeSubjectAsync("alice");

        var after = await jwt.IssueAsync("alice");

        Assert.Equal(TokenRejectionReason.Revoked, await jwt.ReasonAsync(before.Token));
        Assert.True((await jwt.ValidateAsync(after.Token)).IsValid);
    }

    [Fact]
    public async Task Without_clock_skew_a_token_issued_in_the_second_of_its_subjects_revocation_is_valid_from_the_next_second()
    {
        using var jwt = JwtHarness.Hs256(); // no skew: an iat one second ahead is not accepted yet
        jwt.Time.Advance(TimeSpan.FromMilliseconds(400));
        await jwt.Revoker.RevokeSubjectAsync("alice");

        var after = await jwt.IssueAsync("alice");

        Assert.Equal(TokenRejectionReason.NotYetValid, await jwt.ReasonAsync(after.Token));
        jwt.Time.Advance(TimeSpan.FromMilliseconds(600));
        Assert.True((await jwt.ValidateAsync(after.Token)).IsValid);
    }

    [Fact]
    public async Task Second_subject_revocation_in_the_same_second_reaches_tokens_issued_between()
    {
        using var jwt = JwtHarness.Hs256(options => options.ClockSkew = TimeSpan.FromSeconds(5));
        await jwt.Revoker.RevokeSubjectAsync("alice");
        var between = await jwt.IssueAsync("alice");
        Assert.True((await jwt.ValidateAsync(between.Token)).IsValid);

        await jwt.Revoker.RevokeSubjectAsync("alice");
        var after = await jwt.IssueAsync("alice");

        Assert.Equal(TokenRejectionReason.Revoked, await jwt.ReasonAsync(between.Token));
        Assert.True((await jwt.ValidateAsync(after.Token)).IsValid);
    }

    [Fact]
    public async Task Revoked_token_never_validated_before_is_revoked()
    {
        using var jwt = JwtHarness.Hs256();
        var issued = await jwt.IssueAsync();
        await jwt.Revoker.RevokeAsync(issued.Identity.TokenId);

        Assert.Equal(TokenRejectionReason.Revoked, await jwt.ReasonAsync(issued.Token));
    }

    [Fact]
    public async Task Revocation_is_kept_until_the_token_has_expired_anyway()
    {
        using var jwt = JwtHarness.Hs256();
        var issued = await jwt.IssueAsync();
        await jwt.Revoker.RevokeAsync(issued.Identity.TokenId);

        jwt.Time.SetUtcNow(issued.Identity.ExpiresAt.AddSeconds(-1));
        Assert.Equal(TokenRejectionReason.Revoked, await jwt.ReasonAsync(issued.Token));
        jwt.Time.SetUtcNow(issued.Identity.ExpiresAt);
        Assert.Equal(TokenRejectionReason.Expired, await jwt.ReasonAsync(issued.Token));
    }

    // ---- registration ----

    [Fact]
    public async Task Calling_AddJwtTokens_twice_is_harmless()
    {
        var services = new ServiceCollection().AddSingleton<TimeProvider>(new Microsoft.Extensions.Time.Testing.FakeTimeProvider(JwtHarness.Start)).AddLogging();
        services.AddRxInferAuth().AddJwtTokens(options => options.Keys = [Hs256()]).AddJwtTokens();
        using var provider = services.BuildServiceProvider();

        var validators = provider.GetServices<IValidateOptions<JwtTokenOptions>>().Select(static v => v.GetType()).ToList();
        Assert.Equal(2, validators.Count); // the annotations' and the key ring's, each once
        Assert.Contains(typeof(JwtTokenOptionsValidator), validators);
        Assert.Equal(validators.Count, validators.Distinct().Count());
        Assert.Single(provider.GetServices<IRevocationStore>());
        var issued = await provider.GetRequiredService<ITokenIssuer>().IssueAsync(new TokenRequest("alice", ["user"]));
        Assert.Equal("jwt", issued.Identity.IssuedBy);
        Assert.True((await provider.GetRequiredService<ITokenValidator>().ValidateAsync(issued.Token)).IsValid);
    }

    [Fact]
    public async Task An_unexpected_failure_is_logged_without_the_token_and_rejects_the_token()
    {
        using var jwt = JwtHarness.Create(options => (options.Keys, options.CacheSize) = ([Es256()], 0));
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
        Assert.Equal(TokenRejectionReason.InvalidIssuer, await jwt.ReasonAsync(SignHs256(Header(), new Dictionary<string, object>(Payload(JwtHarness.Start)) { ["iss"] = "x" }, HmacSecret)));

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
