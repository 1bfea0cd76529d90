namespace RxInfer.Auth.Tests.Tokens;

public sealed class TokenValidationOutcomeTests
{
    private static readonly TokenIdentity Alice = new("alice", "t-1", ["user"], TokenIdentity.NeverExpires, "test");

    [Fact]
    public void The_default_outcome_is_not_valid_and_says_no_validation_took_place()
    {
        var outcome = default(TokenValidationOutcome);

        Assert.False(outcome.IsValid);
        Assert.Null(outcome.Identity);
        Assert.Equal(TokenRejectionReason.NotValidated, outcome.Reason);
        Assert.NotEqual(TokenValidationOutcome.Valid(Alice), outcome);
        Assert.Equal("Rejected: NotValidated", outcome.ToString());
    }

    [Fact]
    public void A_valid_outcome_has_its_identity_and_no_reason()
    {
        var outcome = TokenValidationOutcome.Valid(Alice);

        Assert.True(outcome.IsValid);
        Assert.Same(Alice, outcome.Identity);
        Assert.Equal(TokenRejectionReason.None, outcome.Reason);
    }

    [Theory]
    [InlineData(TokenRejectionReason.Malformed)]
    [InlineData(TokenRejectionReason.Revoked)]
    [InlineData(TokenRejectionReason.LifetimeTooLong)]
    public void A_rejected_outcome_keeps_its_reason(TokenRejectionReason reason)
    {
        var outcome = TokenValidationOutcome.Rejected(reason);

        Assert.False(outcome.IsValid);
        Assert.Equal(reason, outcome.Reason);
    }

    [Fact]
    public void A_rejection_needs_a_reason()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => TokenValidationOutcome.Rejected(TokenRejectionReason.None));
    }
}
