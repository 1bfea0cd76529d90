using Microsoft.Extensions.Options;

namespace RxInfer.OptionsValidation;

/// <summary>
/// Runs the validator the <c>[OptionsValidator]</c> source generator wrote from the data annotations of
/// <typeparamref name="TOptions"/>, and words its failures as every other options message: the generator's
/// <c>"Member: The field TOptions.Member must ..."</c> becomes <c>"The field TOptions.Member must ..."</c>, with the
/// configuration path after the name when the options were bound from configuration (<see cref="OptionsSource{TOptions}.Name"/>).
/// </summary>
/// <typeparam name="TOptions">The options type.</typeparam>
internal sealed class AnnotatedOptionsValidator<TOptions>(IValidateOptions<TOptions> generated, OptionsSource<TOptions>? source) : IValidateOptions<TOptions>
    where TOptions : class
{
    public ValidateOptionsResult Validate(string? name, TOptions options)
    {
        var result = generated.Validate(name, options);
        if (!result.Failed || result.Failures is null)
        {
            return result;
        }

        var failures = new List<string>();
        foreach (var failure in result.Failures)
        {
            failures.Add(Word(failure, source ?? OptionsSource<TOptions>.Code));
        }

        return ValidateOptionsResult.Fail(failures);
    }

    private static string Word(string failure, OptionsSource<TOptions> source)
    {
        // The generator's failure is "Member: message", the message holding the display name "TOptions.Member".
        var separator = failure.IndexOf(": ", StringComparison.Ordinal);
        if (separator <= 0)
        {
            return failure;
        }

        var member = failure[..separator];
        var message = failure[(separator + 2)..];
        var displayName = typeof(TOptions).Name + "." + member;
        var at = message.IndexOf(displayName, StringComparison.Ordinal);
        return at < 0 ? message : string.Concat(message.AsSpan(0, at), source.Name(member), message.AsSpan(at + displayName.Length));
    }
}
