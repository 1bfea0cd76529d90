using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Microsoft.Extensions.Primitives;

namespace RxInfer.Hosting.AspNetCore.Tests;

/// <summary>Rules of the <c>Authorization</c> parser that hold for every input.</summary>
public sealed class AuthorizationHeaderPropertyTests
{
    private static readonly string[] Schemes = ["Bearer", "bearer", "BEARER", "BeArEr"];

    [Property]
    public bool Any_header_parses_without_throwing_and_a_bearer_token_is_one_nonempty_word(string? value)
    {
        var kind = AuthorizationHeader.Parse(value is null ? StringValues.Empty : new StringValues(value), out var token);
        return kind != AuthorizationKind.Bearer
            || (token.Length > 0 && !token.Contains(' ', StringComparison.Ordinal) && !token.Contains('\t', StringComparison.Ordinal));
    }

    [Property]
    public Property Bearer_in_any_case_with_one_token_and_padding_yields_that_token() =>
        Prop.ForAll(
            Gen.Elements(Schemes).ToArbitrary(),
            Gen.Elements("abc", "rxi_ABC123", "dev-token:a,b", "e30.e30.sig", "x").ToArbitrary(),
            Gen.Elements("", " ", "  ", "\t", " \t ").ToArbitrary(),
            (scheme, token, padding) =>
                AuthorizationHeader.Parse(new StringValues($"{padding}{scheme}{padding} {token}{padding}"), out var parsed) == AuthorizationKind.Bearer
                && parsed == token);

    [Property]
    public bool Two_or_more_headers_are_never_a_token(NonEmptyString first, NonEmptyString second) =>
        AuthorizationHeader.Parse(new StringValues(["Bearer " + first.Get, "Bearer " + second.Get]), out _) == AuthorizationKind.Invalid;

    [Property]
    public bool Two_words_after_the_scheme_are_never_a_token(PositiveInt a, PositiveInt b) =>
        AuthorizationHeader.Parse(new StringValues($"Bearer t{a.Get} t{b.Get}"), out _) == AuthorizationKind.Invalid;
}
