using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using RxInfer.Hosting.AspNetCore;
using RxInfer.Models;

namespace Microsoft.AspNetCore.Routing;

public static partial class RxInferEndpointRouteBuilderExtensions
{
    private const string DeletedMessage = "Model instance deleted successfully";

    /// <summary>
    /// Maps the instances area: <c>GET /models/instances</c>, <c>GET</c> and <c>DELETE /models/i/{instance_id}</c>,
    /// and <c>GET /models/i/{instance_id}/state</c>. Needs <c>services.AddRxInferModels()</c>.
    /// </summary>
    /// <param name="endpoints">The route builder.</param>
    /// <returns>A builder to add conventions to these operations.</returns>
    public static IEndpointConventionBuilder MapRxInferInstances(this IEndpointRouteBuilder endpoints)
    {
        var group = CreateGroup(endpoints, out var options);
        MapInstances(group, options);
        return new RxInferConventionBuilder(group);
    }

    private static void MapInstances(RouteGroupBuilder group, RxInferEndpointOptions options)
    {
        var policy = Policy(group, options);
        group.MapGet("/models/instances", ListInstancesAsync)
            .WithName("getModelInstances")
            .WithTags(ModelsTag)
            .WithSummary("Get all created model instances")
            .RequireAuthorization(policy)
            .ProducesUnauthorized();

        group.MapGet("/models/i/{instance_id}", GetInstanceAsync)
            .WithName("getModelInstance")
            .WithTags(ModelsTag)
            .WithSummary("Get model instance information")
            .RequireAuthorization(policy)
            .ProducesUnauthorized();

        group.MapDelete("/models/i/{instance_id}", DeleteInstanceAsync)
            .WithName("deleteModelInstance")
            .WithTags(ModelsTag)
            .WithSummary("Delete a model instance")
            .RequireAuthorization(policy)
            .ProducesUnauthorized();

        group.MapGet("/models/i/{instance_id}/state", GetInstanceStateAsync)
            .WithName("getModelInstanceState")
            .WithTags(ModelsTag)
            .WithSummary("Get the state of a model instance")
            .RequireAuthorization(policy)
            .ProducesError(StatusCodes.Status400BadRequest)
            .ProducesUnauthorized();
    }

    private static async Task<Ok<ModelInstanceResponse[]>> ListInstancesAsync(HttpContext context, [FromServices] IModelInstanceService instances)
    {
        var list = await instances.ListAsync(Caller(context.User), context.RequestAborted).ConfigureAwait(false);
        return TypedResults.Ok(list.Select(ToResponse).ToArray());
    }

    private static async Task<Results<Ok<ModelInstanceResponse>, NotFoundError>> GetInstanceAsync(
        [FromRoute(Name = "instance_id")] string instanceId,
        HttpContext context,
        [FromServices] IModelInstanceService instances)
    {
        if (Guid.TryParse(instanceId, out var id)
            && await instances.GetAsync(Caller(context.User), id, context.RequestAborted).ConfigureAwait(false) is { } instance)
        {
            return TypedResults.Ok(ToResponse(instance));
        }

        return ErrorResults.NotFound(ModelErrors.InstanceNotFound);
    }

    private static async Task<Results<Ok<MessageResponse>, NotFoundError>> DeleteInstanceAsync(
        [FromRoute(Name = "instance_id")] string instanceId,
        HttpContext context,
        [FromServices] IModelInstanceService instances)
    {
        if (Guid.TryParse(instanceId, out var id)
            && await instances.DeleteAsync(Caller(context.User), id, context.RequestAborted).ConfigureAwait(false))
        {
            return TypedResults.Ok(new MessageResponse(DeletedMessage));
        }

        return ErrorResults.NotFound(ModelErrors.InstanceNotFound);
    }

    private static async Task<Results<Ok<StateResponse>, NotFoundError>> GetInstanceStateAsync(
        [FromRoute(Name = "instance_id")] string instanceId,
        HttpContext context,
        [FromServices] IModelInstanceService instances)
    {
        if (Guid.TryParse(instanceId, out var id)
            && await instances.GetStateAsync(Caller(context.User), id, context.RequestAborted).ConfigureAwait(false) is { } state)
        {
            return TypedResults.Ok(new StateResponse(state));
        }

        return ErrorResults.NotFound(ModelErrors.InstanceNotFound);
    }

    private static ModelInstanceResponse ToResponse(ModelInstance instance) => new(
        instance.InstanceId,
        instance.ModelName,
        RequestFields.Utc(instance.CreatedAt),
        instance.Description,
        instance.Arguments,
        instance.CurrentEpisode);
}
