using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace RxInfer.Auth;

/// <summary>
/// The discovery document and keys of one issuer, fetched and refreshed by IdentityModel's
/// <see cref="ConfigurationManager{T}"/> over an <see cref="HttpClient"/> from <c>IHttpClientFactory</c>. On top of it, a
/// refresh for a <c>kid</c> that is not in the cached key set is allowed at most once per
/// <see cref="OpenIdConnectIssuerOptions.KeyRefreshInterval"/> (by the injected <see cref="TimeProvider"/>), and waits
/// for that fetch to end, so the token that asked for it is checked against the new keys.
/// </summary>
internal sealed class OpenIdConnectMetadata
{
    private readonly ConfigurationManager<OpenIdConnectConfiguration> _manager;
    private readonly ObservedRetriever _retriever;
    private readonly TimeProvider _timeProvider;
    private readonly TimeSpan _keyRefreshInterval;
    private readonly TimeSpan _fetchTimeout;
    private readonly ILogger _logger;
    private readonly string _name;
    private readonly Lock _gate = new();
    private Task? _keyRefresh;
    private DateTimeOffset _lastKeyRefresh = DateTimeOffset.MinValue;

    public OpenIdConnectMetadata(string name, string metadataAddress, OpenIdConnectIssuerOptions options, HttpClient httpClient, TimeProvider timeProvider, ILogger logger)
    {
        _name = name;
        MetadataAddress = metadataAddress;
        _timeProvider = timeProvider;
        _keyRefreshInterval = options.KeyRefreshInterval;
        _fetchTimeout = options.MetadataTimeout + options.MetadataTimeout; // the document and the key set, one after the other
        _logger = logger;
        _retriever = new ObservedRetriever(this);
        _manager = new ConfigurationManager<OpenIdConnectConfiguration>(
            metadataAddress,
            _retriever,
            new HttpDocumentRetriever(httpClient) { RequireHttps = options.RequireHttpsMetadata })
        {
            AutomaticRefreshInterval = options.AutomaticRefreshInterval,
            // Our own gate below bounds the refreshes asked for by unknown kids; the manager's must not hide one of them.
            RefreshInterval = ConfigurationManager<OpenIdConnectConfiguration>.MinimumRefreshInterval,
        };
    }

    public string MetadataAddress { get; }

    /// <summary>Whether the latest fetch failed (the issuer is down or answers nonsense).</summary>
    public bool LastFetchFailed => _retriever.LastFailed;

    /// <summary>
    /// The current configuration; throws when none could ever be fetched (the caller answers 503). While the issuer has
    /// never answered, a fetch is tried at most once per <see cref="RetryAfterFailure"/>: requests in between fail at once.
    /// </summary>
    public Task<OpenIdConnectConfiguration> GetAsync(CancellationToken cancellationToken)
    {
        if (!_retriever.EverSucceeded && _retriever.LastFailed && _timeProvider.GetUtcNow() - _retriever.LastFailureAt < RetryAfterFailure)
        {
            return Task.FromException<OpenIdConnectConfiguration>(new InvalidOperationException($"The metadata of OpenID Connect issuer '{_name}' could not be fetched a moment ago."));
        }

        return _manager.GetConfigurationAsync(cancellationToken);
    }

    /// <summary>How long after a failed fetch, while no configuration was ever fetched, requests fail without another try: one second.</summary>
    public static TimeSpan RetryAfterFailure { get; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Fetches the keys again for a <c>kid</c> not in the cached set, unless that was done less than the interval ago
    /// (then nothing is fetched); waits for a refresh already under way. Returns the configuration that fetch produced,
    /// or <see langword="null"/> when none was allowed or it failed (see <see cref="LastFetchFailed"/>).
    /// </summary>
    public async Task<OpenIdConnectConfiguration?> RefreshForUnknownKeyAsync(CancellationToken cancellationToken)
    {
        Task refresh;
        lock (_gate)
        {
            if (_keyRefresh is { IsCompleted: false } running)
            {
                refresh = running;
            }
            else
            {
                var now = _timeProvider.GetUtcNow();
                if (now - _lastKeyRefresh < _keyRefreshInterval)
                {
                    return null;
                }

                _lastKeyRefresh = now;
                OpenIdConnectLog.UnknownKeyRefresh(_logger, _name);
                refresh = _keyRefresh = RefreshAsync();
            }
        }

        await refresh.WaitAsync(cancellationToken).ConfigureAwait(false);

        // The fetch's own result: the manager stores it only after the retriever returns, a moment later.
        return _retriever.LastFailed ? null : _retriever.Latest;
    }

    private async Task RefreshAsync()
    {
        await Task.Yield(); // Out of the caller's lock.
        var attempt = _retriever.NextAttempt;
        _manager.RequestRefresh(); // Starts the fetch in the background (or marks the next read to fetch, when blocking).
        try
        {
            await _manager.GetConfigurationAsync(CancellationToken.None).ConfigureAwait(false);
            await attempt.WaitAsync(_fetchTimeout, _timeProvider).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is InvalidOperationException or TimeoutException or IOException or HttpRequestException)
        {
            // The failure is the retriever's to log; the caller reads LastFetchFailed.
        }
    }

    /// <summary>
    /// The stock retriever, observed: when each fetch ends and whether it failed, and the logs (a warning when the issuer
    /// becomes unreachable, not for every failed try while it stays so; information when it is back).
    /// </summary>
    private sealed class ObservedRetriever(OpenIdConnectMetadata owner) : IConfigurationRetriever<OpenIdConnectConfiguration>
    {
        private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private volatile bool _lastFailed;
        private volatile bool _everSucceeded;
        private volatile OpenIdConnectConfiguration? _latest;
        private long _lastFailureAtTicks;

        public Task NextAttempt => Volatile.Read(ref _next).Task;

        public bool LastFailed => _lastFailed;

        public bool EverSucceeded => _everSucceeded;

        public OpenIdConnectConfiguration? Latest => _latest;

        public DateTimeOffset LastFailureAt => new(Interlocked.Read(ref _lastFailureAtTicks), TimeSpan.Zero);

        public async Task<OpenIdConnectConfiguration> GetConfigurationAsync(string address, IDocumentRetriever retriever, CancellationToken cancel)
        {
            try
            {
                var configuration = await OpenIdConnectConfigurationRetriever.GetAsync(address, retriever, cancel).ConfigureAwait(false);
                if (_lastFailed)
                {
                    OpenIdConnectLog.MetadataRecovered(owner._logger, owner._name, address);
                }

                _latest = configuration;
                _lastFailed = false;
                _everSucceeded = true;
                OpenIdConnectLog.MetadataFetched(owner._logger, owner._name, address, configuration.SigningKeys.Count);
                return configuration;
            }
            catch (Exception exception)
            {
                Interlocked.Exchange(ref _lastFailureAtTicks, owner._timeProvider.GetUtcNow().UtcTicks);
                if (!_lastFailed)
                {
                    OpenIdConnectLog.MetadataUnavailable(owner._logger, owner._name, address, exception);
                }
                else
                {
                    OpenIdConnectLog.MetadataStillUnavailable(owner._logger, owner._name, address, exception.GetType().Name);
                }

                _lastFailed = true;
                throw;
            }
            finally
            {
                Interlocked.Exchange(ref _next, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
            }
        }
    }
}
