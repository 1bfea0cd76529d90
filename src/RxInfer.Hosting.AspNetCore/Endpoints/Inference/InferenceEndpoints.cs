using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using RxInfer.Hosting.AspNetCore;
using RxInfer.Models;

namespace Microsoft.AspNetCore.Routing;

public static partial class RxInferEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps the inference area under <c>/models/i/{instance_id}</c>: <c>GET /parameters</c> (of the current episode),
    /// <c>POST /infer</c> and <c>POST /learn</c>. Needs <c>services.AddRxInferModels()</c> and, for inference and
    /// learning, a runtime registered for the instance's model.
    /// </summary>
    /// <param name="endpoints">The route builder.</param>
    /// <returns>A builder to add conventions to these operations.</returns>
    public static IEndpointConventionBuilder MapRxInferInference(this IEndpointRouteBuilder endpoints)
    {
        var group = CreateGroup(endpoints, out var options);
        MapInference(group, options);
        return new RxInferConventionBuilder(group);
    }

    private static void MapInference(RouteGroupBuilder group, RxInferEndpointOptions options)
    {
        RequireModels(group);
        var policy = Policy(group, options);
        group.MapGet("/models/i/{instance_id}/parameters", GetParametersAsync)
            .WithName("getModelInstanceParameters")
            .WithTags(ModelsTag)
            .WithSummary("Get the parameters of a model instance (current episode)")
            .RequireAuthorization(policy)
            .ProducesError(StatusCodes.Status400BadRequest)
            .ProducesUnauthorized();

        group.MapPost("/models/i/{instance_id}/infer", InferAsync)
            .WithName("runInference")
            .WithTags(ModelsTag)
            .WithSummary("Run inference")
            .Accepts<InferRequest>("application/json", "*/*")
            .RequireAuthorization(policy)
            .ProducesUnauthorized();

        group.MapPost("/models/i/{instance_id}/learn", LearnAsync)
            .WithName("runLearning")
            .WithTags(ModelsTag)
            .WithSummary("Learn from previous observations")
            .Accepts<LearnRequest>("application/json", "*/*")
            .RequireAuthorization(policy)
            .ProducesUnauthorized();
    }

    /// <summary>Fails at mapping time when the models package is missing, and loads the catalogue now (its problems are logged at start).</summary>
    private static void RequireModels(RouteGroupBuilder group) =>
        _ = ((IEndpointRouteBuilder)group).ServiceProvider.GetService<IModelCatalog>() ?? throw new InvalidOperationException(
            "The RxInfer model endpoints need the model catalogue: call services.AddRxInferModels() before mapping them.");

    private static async Task<Results<Ok<ParametersResponse>, NotFoundError>> GetParametersAsync(
        [FromRoute(Name = "instance_id")] string instanceId,
        HttpContext context,
        [FromServices] IModelEpisodeService episodes)
    {
        var result = await episodes.GetParametersAsync(Caller(context.User), RequestFields.InstanceId(instanceId), context.RequestAborted).ConfigureAwait(false);
        return result.Succeeded
            ? TypedResults.Ok(new ParametersResponse(result.Value))
            : ErrorResults.NotFound(result.Error ?? ModelErrors.InstanceNotFound);
    }

    private static async Task<Results<Ok<InferResponse>, BadRequestError, NotFoundError>> InferAsync(
        [FromRoute(Name = "instance_id")] string instanceId,
        HttpContext context,
        [FromServices] IModelInferenceService inference,
        [FromServices] IOptions<RxInferEndpointOptions> options)
    {
        var (body, error) = await JsonBody.ReadObjectAsync(context.Request, options.Value.MaxRequestBodySize, context.RequestAborted).ConfigureAwait(false);
        if (error is not null)
        {
            return ErrorResults.BadRequest(error);
        }

        if (RequestFields.Optional(body, "data") is not { } data)
        {
            return ErrorResults.BadRequest(RequestFields.Required("data"));
        }

        if (data.ValueKind != JsonValueKind.Object)
        {
            return ErrorResults.BadRequest(RequestFields.MustBe("data", "a JSON object"));
        }

        var timestamp = RequestFields.OptionalTimestamp(RequestFields.Optional(body, "timestamp"), "timestamp", out error);
        var episodeName = error is null ? RequestFields.OptionalString(body, "episode_name", out error) : null;
        if (error is not null)
        {
            return ErrorResults.BadRequest(error);
        }

        var result = await inference.InferAsync(Caller(context.User), RequestFields.InstanceId(instanceId), data, timestamp, episodeName, context.RequestAborted).ConfigureAwait(false);
        return Answer(result, static value => new InferResponse(
            value.EventId,
            value.Results,
            [.. value.Errors.Select(static message => new ErrorResponse(RxInferErrors.BadRequest, message))]));
    }

    private static async Task<Results<Ok<LearnResponse>, BadRequestError, NotFoundError>> LearnAsync(
        [FromRoute(Name = "instance_id")] string instanceId,
        HttpContext context,
        [FromServices] IModelInferenceService inference,
        [FromServices] IOptions<RxInferEndpointOptions> options)
    {
        var (body, error) = await JsonBody.ReadObjectAsync(context.Request, options.Value.MaxRequestBodySize, context.RequestAborted).ConfigureAwait(false);
        if (error is not null)
        {
            return ErrorResults.BadRequest(error);
        }

        if (RequestFields.Optional(body, "episodes") is not { } list)
        {
            return ErrorResults.BadRequest(RequestFields.Required("episodes"));
        }

        if (list.ValueKind != JsonValueKind.Array || list.EnumerateArray().Any(static e => e.ValueKind != JsonValueKind.String))
        {
            return ErrorResults.BadRequest(RequestFields.MustBe("episodes", "an array of episode names"));
        }

        var relearn = false;
        if (RequestFields.Optional(body, "relearn") is { } flag)
        {
            if (flag.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
            {
                return ErrorResults.BadRequest(RequestFields.MustBe("relearn", "a boolean"));
            }

            relearn = flag.GetBoolean();
        }

        string[] episodes = [.. list.EnumerateArray().Select(static e => e.GetString()!)];
        var result = await inference.LearnAsync(Caller(context.User), RequestFields.InstanceId(instanceId), episodes, relearn, context.RequestAborted).ConfigureAwait(false);
        return Answer(result, static value => new LearnResponse(value));
    }
}
