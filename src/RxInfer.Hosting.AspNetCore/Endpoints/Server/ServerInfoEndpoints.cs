using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using RxInfer.Hosting.AspNetCore;

namespace Microsoft.AspNetCore.Routing;

public static partial class RxInferEndpointRouteBuilderExtensions
{
    private const string ServerTag = "Server";

    /// <summary>
    /// Maps <c>GET /info</c> (<c>getServerInfo</c>): the library's version as <c>server_version</c>, the edition of
    /// <see cref="RxInferEndpointOptions.ServerEdition"/>, <c>api_version</c> <c>v1</c>, and <c>unknown</c> for the
    /// Julia and RxInfer versions, which have no meaning in .NET.
    /// </summary>
    /// <param name="endpoints">The route builder.</param>
    /// <returns>A builder to add conventions to this operation.</returns>
    public static IEndpointConventionBuilder MapRxInferServerInfo(this IEndpointRouteBuilder endpoints)
    {
        var group = CreateGroup(endpoints, out var options);
        MapServerInfo(group, options);
        return new RxInferConventionBuilder(group);
    }

    private static void MapServerInfo(RouteGroupBuilder group, RxInferEndpointOptions options)
    {
        group.MapGet("/info", GetServerInfo)
            .WithName("getServerInfo")
            .WithTags(ServerTag)
            .WithSummary("Get server information")
            .RequireAuthorization(Policy(group, options))
            .ProducesUnauthorized();
    }

    private static Ok<ServerInfoResponse> GetServerInfo([FromServices] IOptions<RxInferEndpointOptions> options) =>
        TypedResults.Ok(new ServerInfoResponse(ServerInfo.Unknown, ServerInfo.LibraryVersion, options.Value.ServerEdition, ServerInfo.Unknown, ServerInfo.ApiVersion));
}
