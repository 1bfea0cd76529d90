using System.Buffers.Text;
using FsCheck.Xunit;
using RxInfer.Auth;

namespace RxInfer.Auth.Tests.Jwt;

/// <summary>
/// Changing any single character of a valid JWT makes it invalid. The changes are restricted to ones that alter
/// what is signed or the decoded signature: the last character of the signature segment carries unused low bits
/// (2 for HS256, 4 for ES256), so a replacement there always flips the character's top bit, which is significant.
/// Every other replacement changes the signed text (header and payload are signed as text) or the segment structure.
/// </summary>
public sealed class JwtTamperingProperties : IDisposable
{
    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    private static readonly char[] Specials = ['.', '=', '+', '/', ' ', '\0', '\u00e9'];

    private readonly JwtHarness _hs256 = JwtHarness.Hs256();
    private readonly JwtHarness _es256 = JwtHarness.Create(options => (options.Keys, options.ClockSkew) = ([TestKeys.Es256()], TimeSpan.Zero));
    private readonly Lazy<string> _hs256Token;
    private readonly Lazy<string> _es256Token;

    public JwtTamperingProperties()
    {
        _hs256Token = new(() => _hs256.IssueAsync("alice", "user", "admin").GetAwaiter().GetResult().Token);
        _es256Token = new(() => _es256.IssueAsync("alice", "user", "admin").GetAwaiter().GetResult().Token);
    }

    [Property(MaxTest = 1000)]
    public bool Changing_any_single_character_of_an_HS256_token_makes_it_invalid(int position, int replacement) =>
        IsRejectedAfterChange(_hs256, _hs256Token.Value, position, replacement);

    [Property(MaxTest = 1000)]
    public bool Changing_any_single_character_of_an_ES256_token_makes_it_invalid(int position, int replacement) =>
        IsRejectedAfterChange(_es256, _es256Token.Value, position, replacement);

    [Fact]
    public async Task The_tokens_under_test_are_valid()
    {
        Assert.True((await _hs256.ValidateAsync(_hs256Token.Value)).IsValid);
        Assert.True((await _es256.ValidateAsync(_es256Token.Value)).IsValid);
    }

    public void Dispose()
    {
        _hs256.Dispose();
        _es256.Dispose();
    }

    private static bool IsRejectedAfterChange(JwtHarness jwt, string token, int position, int replacement)
    {
        var index = (int)((uint)position % (uint)token.Length);
        var selector = (uint)replacement;
        var chars = token.ToCharArray();
        var original = chars[index];
        var signatureStart = token.LastIndexOf('.') + 1;

        if (original == '.' || selector % 10 != 0)
        {
            // A different base64url character: XOR its 6-bit value with a non-zero mask.
            var mask = 1 + (int)(selector / 10 % 63);
            if (index == token.Length - 1)
            {
                mask |= 0b10_0000; // The top bit of the last signature character is always significant.
            }

            chars[index] = original == '.' ? Alphabet[mask] : Alphabet[Alphabet.IndexOf(original, StringComparison.Ordinal) ^ mask];
        }
        else
        {
            chars[index] = Specials[selector / 10 % (uint)Specials.Length];
        }

        var changed = new string(chars);
        Assert.NotEqual(token, changed);
        if (index >= signatureStart && Base64Url.IsValid(changed.AsSpan(signatureStart)))
        {
            // The premise: a change in the signature segment changes the decoded signature.
            Assert.NotEqual(Base64Url.DecodeFromChars(token.AsSpan(signatureStart)), Base64Url.DecodeFromChars(changed.AsSpan(signatureStart)));
        }

        var outcome = jwt.Validator.ValidateAsync(changed).AsTask().GetAwaiter().GetResult();
        return !outcome.IsValid && outcome.Reason != TokenRejectionReason.None;
    }
}
