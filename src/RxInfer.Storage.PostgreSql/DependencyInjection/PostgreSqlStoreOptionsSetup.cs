using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace RxInfer.Storage.PostgreSql;

/// <summary>
/// Binds <see cref="PostgreSqlStoreOptions"/> from the host's configuration, when one is registered: the section
/// <c>RxInfer:PostgreSql</c> and the connection string <c>ConnectionStrings:RxInfer</c>. Registered before any
/// configuration in code, which therefore wins.
/// </summary>
internal sealed class PostgreSqlStoreOptionsSetup(IServiceProvider services) : IConfigureOptions<PostgreSqlStoreOptions>
{
    public void Configure(PostgreSqlStoreOptions options)
    {
        if (services.GetService<IConfiguration>() is not { } configuration)
        {
            return;
        }

        configuration.GetSection(PostgreSqlStoreOptions.ConfigurationSection).Bind(options);
        if (configuration.GetConnectionString(PostgreSqlStoreOptions.ConnectionStringName) is { Length: > 0 } connectionString)
        {
            options.ConnectionString = connectionString;
        }
    }
}
