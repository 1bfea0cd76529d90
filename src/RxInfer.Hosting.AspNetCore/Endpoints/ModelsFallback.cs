using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using RxInfer.Hosting.AspNetCore;

namespace Microsoft.AspNetCore.Routing;

public static partial class RxInferEndpointRouteBuilderExtensions
{
    /// <summary>Any other path under <c>/models</c> or <c>/token</c>: the contract's 404 body rather than an empty 404.</summary>
    private static void MapModelsFallback(RouteGroupBuilder group, RxInferEndpointOptions options)
    {
        group.MapFallback("/models/{**rest}", static () => ErrorResults.NotFound(RxInferErrors.ResourceNotFound))
            .RequireAuthorization(Policy(group, options))
            .ExcludeFromDescription();
        group.MapFallback("/token/{**rest}", static () => ErrorResults.NotFound(RxInferErrors.ResourceNotFound))
            .ExcludeFromDescription();
    }
}
