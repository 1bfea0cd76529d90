using Microsoft.Extensions.Options;

namespace RxInfer.Storage.PostgreSql;

/// <summary>
/// The data annotations of <see cref="PostgreSqlStoreOptions"/> (cache size, grace period, queue timeout, sweep batch,
/// heartbeat), checked by code the options source generator writes (no reflection). Registered through
/// <c>AnnotatedOptionsValidator</c>, which words its messages.
/// </summary>
[OptionsValidator]
internal sealed partial class PostgreSqlStoreOptionsDataValidator : IValidateOptions<PostgreSqlStoreOptions>;
