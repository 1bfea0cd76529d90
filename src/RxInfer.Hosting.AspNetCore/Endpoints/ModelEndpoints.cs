using System.Security.Claims;
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
    private const string ModelsTag = "Models";

    /// <summary>
    /// Maps the models area: <c>GET /models/available</c>, <c>GET /models/available/{model_name}</c> and
    /// <c>POST /models/create-instance</c>. Needs <c>services.AddRxInferModels()</c>.
    /// </summary>
    /// <param name="endpoints">The route builder.</param>
    /// <returns>A builder to add conventions to these operations.</returns>
    public static IEndpointConventionBuilder MapRxInferModels(this IEndpointRouteBuilder endpoints)
    {
        var group = CreateGroup(endpoints, out var options);
        MapModels(group, options);
        return new RxInferConventionBuilder(group);
    }

    private static void MapModels(RouteGroupBuilder group, RxInferEndpointOptions options)
    {
        // Build the catalogue now, so a missing folder or an invalid configuration is logged at start, not on the first request.
        _ = ((IEndpointRouteBuilder)group).ServiceProvider.GetService<IModelCatalog>() ?? throw new InvalidOperationException(
            "The RxInfer model endpoints need the model catalogue: call services.AddRxInferModels() before mapping them.");
        var policy = Policy(group, options);
        group.MapGet("/models/available", GetAvailableModels)
            .WithName("getAvailableModels")
            .WithTags(ModelsTag)
            .WithSummary("Get models available for creation")
            .RequireAuthorization(policy)
            .ProducesUnauthorized();

        group.MapGet("/models/available/{model_name}", GetAvailableModel)
            .WithName("getAvailableModel")
            .WithTags(ModelsTag)
            .WithSummary("Get information about a specific model available for creation")
            .RequireAuthorization(policy)
            .ProducesUnauthorized();

        group.MapPost("/models/create-instance", CreateInstanceAsync)
            .WithName("createModelInstance")
            .WithTags(ModelsTag)
            .WithSummary("Create a new model instance")
            // "*/*" keeps routing from filtering on Content-Type (which would answer 415 or fall through to a
            // 404): the handler checks it and answers the contract's 400.
            .Accepts<CreateInstanceRequest>("application/json", "*/*")
            .RequireAuthorization(policy)
            .ProducesUnauthorized()
            .ProducesError(StatusCodes.Status503ServiceUnavailable); // the instance store is full (or unreachable)
    }

    private static Ok<AvailableModelResponse[]> GetAvailableModels(ClaimsPrincipal user, [FromServices] IModelCatalog catalog) =>
        TypedResults.Ok(catalog.GetAvailableModels(Roles(user)).Select(ToResponse).ToArray());

    private static Results<Ok<AvailableModelResponse>, NotFoundError> GetAvailableModel(
        [FromRoute(Name = "model_name")] string modelName,
        ClaimsPrincipal user,
        [FromServices] IModelCatalog catalog) =>
        catalog.FindModel(modelName, Roles(user)) is { } model
            ? TypedResults.Ok(ToResponse(model))
            : ErrorResults.NotFound(ModelErrors.ModelNotFound(modelName));

    private static async Task<Results<Ok<CreateInstanceResponse>, BadRequestError, NotFoundError>> CreateInstanceAsync(
        HttpContext context,
        [FromServices] IModelInstanceService instances,
        [FromServices] IOptions<RxInferEndpointOptions> options)
    {
        var (body, error) = await JsonBody.ReadObjectAsync(context.Request, options.Value.MaxRequestBodySize, context.RequestAborted).ConfigureAwait(false);
        if (error is not null)
        {
            return ErrorResults.BadRequest(error);
        }

        if (!body.TryGetProperty("model_name", out var nameElement) || nameElement.ValueKind == JsonValueKind.Null)
        {
            return ErrorResults.BadRequest("The field model_name is required");
        }

        if (nameElement.ValueKind != JsonValueKind.String)
        {
            return ErrorResults.BadRequest("The field model_name must be a string");
        }

        JsonElement? arguments = body.TryGetProperty("arguments", out var argumentsElement) ? argumentsElement : null;
        string? description = null;
        if (body.TryGetProperty("description", out var descriptionElement) && descriptionElement.ValueKind != JsonValueKind.Null)
        {
            if (descriptionElement.ValueKind != JsonValueKind.String)
            {
                return ErrorResults.BadRequest("The field description must be a string");
            }

            description = descriptionElement.GetString();
        }

        var modelName = nameElement.GetString()!;
        var creation = await instances.CreateAsync(Caller(context.User), modelName, arguments, description, context.RequestAborted).ConfigureAwait(false);
        return creation.Status switch
        {
            ModelInstanceCreationStatus.Created when creation.Instance is { } instance => TypedResults.Ok(new CreateInstanceResponse(instance.InstanceId)),
            ModelInstanceCreationStatus.ModelNotFound => ErrorResults.NotFound(creation.Error ?? ModelErrors.ModelNotFound(modelName)),
            ModelInstanceCreationStatus.InvalidRequest => ErrorResults.BadRequest(creation.Error ?? "The request is not valid"),
            _ => throw new InvalidOperationException($"The model instance service returned no outcome ({creation.Status}): a bug in the registered {instances.GetType().Name}."),
        };
    }

    private static ModelCaller Caller(ClaimsPrincipal user) => new(OwnerClaim.Read(user), Roles(user)) { TokenExpiresAt = ExpiryClaim.Read(user) };

    private static AvailableModelResponse ToResponse(ModelDefinition model) => new(
        new ModelDetailsResponse(model.Name, model.Description, model.Author, model.Roles),
        model.Configuration);
}
