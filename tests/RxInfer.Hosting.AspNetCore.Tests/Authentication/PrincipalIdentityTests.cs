using System.Security.Claims;
using RxInfer.Auth;

namespace RxInfer.Hosting.AspNetCore.Tests.Authentication;

/// <summary>The identity the scheme gives an accepted token: its claims, their issuer, and who owns them.</summary>
public sealed class PrincipalIdentityTests
{
    private const string Scheme = "RxInferBearer";
    private const string Issuer = "RxInferIssuer";

    [Fact]
    public void The_identity_holds_the_token_claims_in_order_each_issued_by_the_scheme_and_owned_by_the_identity()
    {
        var expiresAt = new DateTimeOffset(2026, 11, 29, 23, 5, 7, TimeSpan.FromHours(2));
        var token = new TokenIdentity("alice", "token-1", ["user", "admin"], expiresAt, "jwt");

        var identity = RxInferBearerHandler.CreateIdentity(token, token.Roles, Scheme, Issuer);

        Assert.Equal(
            [
                (RxInferClaimTypes.Subject, "alice", ClaimValueTypes.String),
                (RxInferClaimTypes.TokenId, "token-1", ClaimValueTypes.String),
                (RxInferClaimTypes.IssuedBy, "jwt", ClaimValueTypes.String),
                (RxInferClaimTypes.ExpiresAt, "2026-11-29T21:05:07.0000000+00:00", ClaimValueTypes.DateTime),
                (RxInferClaimTypes.Role, "user", ClaimValueTypes.String),
                (RxInferClaimTypes.Role, "admin", ClaimValueTypes.String),
            ],
            identity.Claims.Select(static claim => (claim.Type, claim.Value, claim.ValueType)));
        Assert.All(identity.Claims, claim =>
        {
            Assert.Same(identity, claim.Subject);
            Assert.Equal(Issuer, claim.Issuer);
            Assert.Equal(Issuer, claim.OriginalIssuer);
        });

        Assert.Equal(Scheme, identity.AuthenticationType);
        Assert.True(identity.IsAuthenticated);
        Assert.Equal("alice", identity.Name);
        var principal = new ClaimsPrincipal(identity);
        Assert.True(principal.IsInRole("admin"));
        Assert.False(principal.IsInRole("owner"));
        Assert.Equal(expiresAt, ExpiryClaim.Read(principal));
        Assert.Equal("alice", OwnerClaim.Read(principal));
    }

    [Fact]
    public void A_claim_a_host_adds_later_joins_the_identity_beside_the_token_claims()
    {
        var token = new TokenIdentity("bob", "token-2", ["user"], DateTimeOffset.UnixEpoch.AddYears(60), "opaque");
        var identity = RxInferBearerHandler.CreateIdentity(token, token.Roles, Scheme, Issuer);

        identity.AddClaim(new Claim("tenant", "blue"));

        Assert.Equal(6, identity.Claims.Count());
        Assert.Equal("blue", identity.FindFirst("tenant")?.Value);
        Assert.Same(identity, identity.FindFirst("tenant")?.Subject);
        Assert.Equal(["user"], identity.FindAll(RxInferClaimTypes.Role).Select(static claim => claim.Value));
    }
}
