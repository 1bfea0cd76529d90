using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace RxInfer.Auth.Tests.Exchange;

/// <summary>HTTP Basic credentials as a client sends them: base64 of UTF-8 <c>user-id:password</c>, decoded strictly.</summary>
public sealed class BasicCredentialsTests
{
    private static string Encode(byte[] bytes) => Convert.ToBase64String(bytes);

    private static string Encode(string text) => Encode(Encoding.UTF8.GetBytes(text));

    [Theory]
    [InlineData("alice:wonderland", "alice", "wonderland")]
    [InlineData("alice:", "alice", "")]
    [InlineData("alice:a:b:c", "alice", "a:b:c")]
    [InlineData("élodie:pässwörd", "élodie", "pässwörd")]
    [InlineData("用户:密码", "用户", "密码")]
    [InlineData("emoji-\U0001F600:pw \U0001F511", "emoji-\U0001F600", "pw \U0001F511")]
    public void Well_formed_credentials_decode_to_the_user_and_password(string text, string user, string password)
    {
        Assert.True(BasicCredentials.TryDecode(Encode(text), out var decodedUser, out var decodedPassword));
        Assert.Equal(user, decodedUser);
        Assert.Equal(password, decodedPassword);
    }

    [Fact]
    public async Task The_README_example_exchanges_alice_for_a_token()
    {
        using var services = TestServices.Build(TestClock.NewTimeProvider(), builder => builder.AddCredentialValidator<Wonderland>());
        var exchange = services.GetRequiredService<ITokenExchange>();
        IssuedToken? token = null;

        if (BasicCredentials.TryDecode("YWxpY2U6d29uZGVybGFuZA==", out var user, out var password))
        {
            token = await exchange.ExchangeCredentialsAsync(user, password); // user "alice", password "wonderland"
        }

        Assert.Equal("alice", token?.Identity.Subject);
    }

    /// <summary>Named malformed credentials, as bytes before base64 (test data with lone surrogates or invalid bytes must be bytes).</summary>
    public static TheoryData<string, byte[]> MalformedBytes => new()
    {
        { "no colon", "alice"u8.ToArray() },
        { "empty user-id", ":password"u8.ToArray() },
        { "nothing", [] },
        { "invalid byte FF in the password", [.. "alice:pw"u8, 0xFF] },
        { "invalid byte FE in the user-id", [0xFE, .. ":pw"u8] },
        { "a lone continuation byte", [.. "al"u8, 0x80, .. ":pw"u8] },
        { "a truncated sequence at the end", [.. "alice:pw"u8, 0xE2, 0x82] },
        { "an overlong colon (C0 BA) and no real colon", [.. "alice"u8, 0xC0, 0xBA, .. "pw"u8] },
        { "an overlong slash in the password", [.. "alice:"u8, 0xC0, 0xAF] },
        { "an encoded high surrogate (ED A0 80)", [.. "alice:"u8, 0xED, 0xA0, 0x80] },
        { "an encoded low surrogate (ED B0 80)", [0xED, 0xB0, 0x80, .. ":pw"u8] },
        { "a code point above U+10FFFF", [.. "alice:"u8, 0xF4, 0x90, 0x80, 0x80] },
        { "NUL in the user-id", [.. "al"u8, 0x00, .. "ice:pw"u8] },
        { "a line feed in the password", [.. "alice:p"u8, 0x0A, .. "w"u8] },
        { "a carriage return in the user-id", [.. "alice"u8, 0x0D, .. ":pw"u8] },
        { "DEL in the password", [.. "alice:pw"u8, 0x7F] },
        { "a C1 control (U+0085) in the password", [.. "alice:pw"u8, 0xC2, 0x85] },
        { "a tab in the user-id", [.. "al\tice:pw"u8] },
    };

    [Theory]
    [MemberData(nameof(MalformedBytes))]
    public void Malformed_credentials_are_refused(string because, byte[] bytes)
    {
        Assert.False(BasicCredentials.TryDecode(Encode(bytes), out var user, out var password), because);
        Assert.Null(user);
        Assert.Null(password);
    }

    [Theory]
    [InlineData("")]
    [InlineData("!!!not-base64!!!")]
    [InlineData("YWxpY2U6cHc")] // unpadded
    [InlineData("YWxpY2U6cHc=x")]
    [InlineData("YWxpY2U6cHc==")]
    [InlineData("\ud800\udc00")]
    public void Text_that_is_not_base64_is_refused(string encoded)
    {
        Assert.False(BasicCredentials.TryDecode(encoded, out _, out _));
    }

    [Fact]
    public void Credentials_of_the_longest_accepted_length_decode_and_one_block_more_is_refused()
    {
        var longest = Encode("alice:" + new string('p', (BasicCredentials.MaxEncodedLength / 4 * 3) - "alice:".Length));
        var tooLong = Encode("alice:" + new string('p', (BasicCredentials.MaxEncodedLength / 4 * 3) - "alice:".Length + 3));

        Assert.Equal(BasicCredentials.MaxEncodedLength, longest.Length);
        Assert.True(BasicCredentials.TryDecode(longest, out _, out var password));
        Assert.Equal((BasicCredentials.MaxEncodedLength / 4 * 3) - "alice:".Length, password.Length);
        Assert.False(BasicCredentials.TryDecode(tooLong, out _, out _));
        Assert.False(BasicCredentials.TryDecode(new string('A', 1 << 20), out _, out _));
    }

    [Property(MaxTest = 2000)]
    public bool Any_bytes_decode_to_exactly_those_bytes_or_are_refused(byte[] bytes)
    {
        if (!BasicCredentials.TryDecode(Encode(bytes), out var user, out var password))
        {
            return true;
        }

        return user.Length > 0
            && !user.Contains(':', StringComparison.Ordinal)
            && !(user + password).Any(char.IsControl)
            && Encoding.UTF8.GetBytes(user + ":" + password).AsSpan().SequenceEqual(bytes);
    }

    [Property(MaxTest = 2000)]
    public Property Any_text_as_credentials_never_throws() =>
        Prop.ForAll(
            Gen.Elements('A', 'z', '0', '+', '/', '=', ' ', '\t', '\0', '\u00e9', '\ud800', '\udc00', ':').ArrayOf().Select(c => new string(c)).ToArbitrary(),
            text =>
            {
                BasicCredentials.TryDecode(text, out _, out _);
                return true;
            });

    private sealed class Wonderland : ICredentialValidator
    {
        public ValueTask<TokenSubject?> ValidateAsync(string userName, string password, CancellationToken cancellationToken = default) =>
            new(userName == "alice" && password == "wonderland" ? new TokenSubject("alice", ["user"]) : null);
    }
}
