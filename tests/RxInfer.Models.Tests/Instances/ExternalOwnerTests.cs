using RxInfer.Auth;

namespace RxInfer.Models.Tests.Instances;

/// <summary>
/// A caller owns by <see cref="TokenIdentity.Owner"/>: an external identity by issuer and subject together, apart from
/// our subject of the same text; a caller whose subject holds a control character other than the one separator of an
/// external owner key is refused.
/// </summary>
public sealed class ExternalOwnerTests : IDisposable
{
    private static readonly ModelDefinition Model = ModelDefinition.Create("Owned-v1", "for the ownership tests", "tests", ["user"]);

    private readonly ModelsHost _host = new(b => b.AddModel(Model));

    public void Dispose() => _host.Dispose();

    [Fact]
    public async Task An_external_identity_and_our_subject_of_the_same_text_own_different_instances()
    {
        // The owner keys the bearer scheme passes for these identities (TokenIdentity.Owner).
        var external = new ModelCaller(TokenOwner.Of("corp", "alice"), ["user"]);
        var ours = new ModelCaller(new TokenIdentity("alice", "t-2", ["user"], TokenIdentity.NeverExpires, "jwt").Owner, ["user"]);
        var otherIssuer = new ModelCaller(TokenOwner.Of("partner", "alice"), ["user"]);

        var created = await _host.Instances.CreateAsync(external, "Owned-v1", arguments: null, description: null);

        Assert.Equal(ModelInstanceCreationStatus.Created, created.Status);
        Assert.Equal("corp\u001Falice", external.Subject);
        Assert.Single(await _host.Instances.ListAsync(external));
        Assert.Empty(await _host.Instances.ListAsync(ours));
        Assert.Empty(await _host.Instances.ListAsync(otherIssuer));
    }

    [Theory]
    [InlineData("a\u0000b")]
    [InlineData("a\u0001b")]
    [InlineData("\u001Falice")]
    [InlineData("corp\u001F")]
    [InlineData("corp\u001Fa\u001Fb")]
    public async Task A_caller_whose_subject_is_no_owner_key_is_refused(string subject) =>
        await Assert.ThrowsAsync<ArgumentException>(async () => await _host.Instances.ListAsync(new ModelCaller(subject, ["user"])));
}
