using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using RxInfer.Hosting.AspNetCore;
using RxInfer.Models;

namespace Microsoft.AspNetCore.Routing;

public static partial class RxInferEndpointRouteBuilderExtensions
{
    private const string EpisodeDeletedMessage = "Episode deleted successfully";
    private const string EventsAttachedMessage = "Events attached to the episode successfully";
    private const string EpisodeWipedMessage = "Episode wiped successfully";
    private const string MetadataAttachedMessage = "Metadata attached to the event successfully";
    private const string EventIdInvalid = "The event id in the path must be a positive integer";

    /// <summary>
    /// Maps the episodes area under <c>/models/i/{instance_id}</c>: <c>POST /create-episode</c>, <c>GET /episodes</c>,
    /// <c>GET</c> and <c>DELETE /episodes/{episode_name}</c>, <c>POST /episodes/{episode_name}/attach-events</c>,
    /// <c>POST /episodes/{episode_name}/wipe</c> and <c>POST /episodes/{episode_name}/events/{event_id}/attach-metadata</c>.
    /// Needs <c>services.AddRxInferModels()</c>. Episode names in paths are percent-decoded once from the raw request
    /// target, so any name works when its segment is percent-encoded.
    /// </summary>
    /// <param name="endpoints">The route builder.</param>
    /// <returns>A builder to add conventions to these operations.</returns>
    public static IEndpointConventionBuilder MapRxInferEpisodes(this IEndpointRouteBuilder endpoints)
    {
        var group = CreateGroup(endpoints, out var options);
        MapEpisodes(group, options);
        return new RxInferConventionBuilder(group);
    }

    private static void MapEpisodes(RouteGroupBuilder group, RxInferEndpointOptions options)
    {
        RequireModels(group);
        var policy = Policy(group, options);
        group.MapPost("/models/i/{instance_id}/create-episode", CreateEpisodeAsync)
            .WithName("createEpisode")
            .WithTags(ModelsTag)
            .WithSummary("Create a new episode for a model instance")
            .Accepts<CreateEpisodeRequest>("application/json", "*/*")
            .RequireAuthorization(policy)
            .ProducesUnauthorized();

        group.MapGet("/models/i/{instance_id}/episodes", ListEpisodesAsync)
            .WithName("getEpisodes")
            .WithTags(ModelsTag)
            .WithSummary("Get all episodes for a model instance")
            .RequireAuthorization(policy)
            .ProducesUnauthorized();

        group.MapGet("/models/i/{instance_id}/episodes/{episode_name}", GetEpisodeAsync)
            .WithName("getEpisodeInfo")
            .WithTags(ModelsTag)
            .WithSummary("Get episode information")
            .RequireAuthorization(policy)
            .ProducesUnauthorized();

        group.MapDelete("/models/i/{instance_id}/episodes/{episode_name}", DeleteEpisodeAsync)
            .WithName("deleteEpisode")
            .WithTags(ModelsTag)
            .WithSummary("Delete an episode for a model")
            .RequireAuthorization(policy)
            .ProducesUnauthorized();

        group.MapPost("/models/i/{instance_id}/episodes/{episode_name}/attach-events", AttachEventsAsync)
            .WithName("attachEventsToEpisode")
            .WithTags(ModelsTag)
            .WithSummary("Attach events to an episode")
            .Accepts<AttachEventsRequest>("application/json", "*/*")
            .RequireAuthorization(policy)
            .ProducesUnauthorized();

        group.MapPost("/models/i/{instance_id}/episodes/{episode_name}/wipe", WipeEpisodeAsync)
            .WithName("wipeEpisode")
            .WithTags(ModelsTag)
            .WithSummary("Wipe all events from an episode")
            .RequireAuthorization(policy)
            .ProducesUnauthorized();

        group.MapPost("/models/i/{instance_id}/episodes/{episode_name}/events/{event_id}/attach-metadata", AttachMetadataAsync)
            .WithName("attachMetadataToEvent")
            .WithTags(ModelsTag)
            .WithSummary("Attach metadata to an event")
            .Accepts<AttachMetadataRequest>("application/json", "*/*")
            .RequireAuthorization(policy)
            .ProducesUnauthorized();
    }

    private static async Task<Results<Ok<EpisodeInfoResponse>, BadRequestError, NotFoundError>> CreateEpisodeAsync(
        [FromRoute(Name = "instance_id")] string instanceId,
        HttpContext context,
        [FromServices] IModelEpisodeService episodes,
        [FromServices] IOptions<RxInferEndpointOptions> options)
    {
        var (body, error) = await JsonBody.ReadObjectAsync(context.Request, options.Value.MaxRequestBodySize, context.RequestAborted).ConfigureAwait(false);
        if (error is not null)
        {
            return ErrorResults.BadRequest(error);
        }

        var name = RequestFields.OptionalString(body, "name", out error);
        if (error is not null || name is null)
        {
            return ErrorResults.BadRequest(error ?? RequestFields.Required("name"));
        }

        var result = await episodes.CreateEpisodeAsync(Caller(context.User), RequestFields.InstanceId(instanceId), name, context.RequestAborted).ConfigureAwait(false);
        return Answer(result, ToResponse);
    }

    private static async Task<Results<Ok<EpisodeInfoResponse[]>, NotFoundError>> ListEpisodesAsync(
        [FromRoute(Name = "instance_id")] string instanceId,
        HttpContext context,
        [FromServices] IModelEpisodeService episodes)
    {
        var result = await episodes.ListEpisodesAsync(Caller(context.User), RequestFields.InstanceId(instanceId), context.RequestAborted).ConfigureAwait(false);
        return result.Succeeded
            ? TypedResults.Ok(result.Value!.Select(ToResponse).ToArray())
            : ErrorResults.NotFound(result.Error ?? ModelErrors.InstanceNotFound);
    }

    private static async Task<Results<Ok<EpisodeInfoResponse>, NotFoundError>> GetEpisodeAsync(
        [FromRoute(Name = "instance_id")] string instanceId,
        [FromRoute(Name = "episode_name")] string episodeName,
        HttpContext context,
        [FromServices] IModelEpisodeService episodes)
    {
        var name = EpisodePaths.Name(context, episodeName);
        var result = await episodes.GetEpisodeAsync(Caller(context.User), RequestFields.InstanceId(instanceId), name, context.RequestAborted).ConfigureAwait(false);
        return result.Succeeded
            ? TypedResults.Ok(ToResponse(result.Value!))
            : ErrorResults.NotFound(result.Error ?? ModelErrors.EpisodeNotFound);
    }

    private static async Task<Results<Ok<MessageResponse>, BadRequestError, NotFoundError>> DeleteEpisodeAsync(
        [FromRoute(Name = "instance_id")] string instanceId,
        [FromRoute(Name = "episode_name")] string episodeName,
        HttpContext context,
        [FromServices] IModelEpisodeService episodes)
    {
        var name = EpisodePaths.Name(context, episodeName);
        var result = await episodes.DeleteEpisodeAsync(Caller(context.User), RequestFields.InstanceId(instanceId), name, context.RequestAborted).ConfigureAwait(false);
        return Answer(result, EpisodeDeletedMessage);
    }

    private static async Task<Results<Ok<MessageResponse>, BadRequestError, NotFoundError>> AttachEventsAsync(
        [FromRoute(Name = "instance_id")] string instanceId,
        [FromRoute(Name = "episode_name")] string episodeName,
        HttpContext context,
        [FromServices] IModelEpisodeService episodes,
        [FromServices] IOptions<RxInferEndpointOptions> options)
    {
        var (body, error) = await JsonBody.ReadObjectAsync(context.Request, options.Value.MaxRequestBodySize, context.RequestAborted).ConfigureAwait(false);
        if (error is not null)
        {
            return ErrorResults.BadRequest(error);
        }

        if (RequestFields.Optional(body, "events") is not { } list)
        {
            return ErrorResults.BadRequest(RequestFields.Required("events"));
        }

        if (list.ValueKind != JsonValueKind.Array)
        {
            return ErrorResults.BadRequest(RequestFields.MustBe("events", "an array of events"));
        }

        var events = new List<ModelEventInput>(list.GetArrayLength());
        foreach (var item in list.EnumerateArray())
        {
            var position = (events.Count + 1).ToString(CultureInfo.InvariantCulture);
            if (item.ValueKind != JsonValueKind.Object)
            {
                return ErrorResults.BadRequest($"Each event must be a JSON object (event {position})");
            }

            var timestamp = RequestFields.OptionalTimestamp(RequestFields.Optional(item, "timestamp"), $"timestamp of event {position}", out error);
            if (error is not null)
            {
                return ErrorResults.BadRequest(error);
            }

            var processed = false;
            if (RequestFields.Optional(item, "processed") is { } flag)
            {
                if (flag.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
                {
                    return ErrorResults.BadRequest(RequestFields.MustBe($"processed of event {position}", "a boolean"));
                }

                processed = flag.GetBoolean();
            }

            events.Add(new ModelEventInput(RequestFields.Optional(item, "data"), RequestFields.Optional(item, "metadata"), timestamp, processed));
        }

        var name = EpisodePaths.Name(context, episodeName, "attach-events");
        var result = await episodes.AttachEventsAsync(Caller(context.User), RequestFields.InstanceId(instanceId), name, events, context.RequestAborted).ConfigureAwait(false);
        return Answer(result, EventsAttachedMessage);
    }

    private static async Task<Results<Ok<MessageResponse>, NotFoundError>> WipeEpisodeAsync(
        [FromRoute(Name = "instance_id")] string instanceId,
        [FromRoute(Name = "episode_name")] string episodeName,
        HttpContext context,
        [FromServices] IModelEpisodeService episodes)
    {
        var name = EpisodePaths.Name(context, episodeName, "wipe");
        var result = await episodes.WipeEpisodeAsync(Caller(context.User), RequestFields.InstanceId(instanceId), name, context.RequestAborted).ConfigureAwait(false);
        return result.Succeeded
            ? TypedResults.Ok(new MessageResponse(EpisodeWipedMessage))
            : ErrorResults.NotFound(result.Error ?? ModelErrors.EpisodeNotFound);
    }

    private static async Task<Results<Ok<MessageResponse>, BadRequestError, NotFoundError>> AttachMetadataAsync(
        [FromRoute(Name = "instance_id")] string instanceId,
        [FromRoute(Name = "episode_name")] string episodeName,
        [FromRoute(Name = "event_id")] string eventId,
        HttpContext context,
        [FromServices] IModelEpisodeService episodes,
        [FromServices] IOptions<RxInferEndpointOptions> options)
    {
        if (!long.TryParse(eventId, NumberStyles.None, CultureInfo.InvariantCulture, out var id) || id < 1)
        {
            return ErrorResults.BadRequest(EventIdInvalid);
        }

        var (body, error) = await JsonBody.ReadObjectAsync(context.Request, options.Value.MaxRequestBodySize, context.RequestAborted).ConfigureAwait(false);
        if (error is not null)
        {
            return ErrorResults.BadRequest(error);
        }

        if (RequestFields.Optional(body, "metadata") is not { } metadata)
        {
            return ErrorResults.BadRequest(RequestFields.Required("metadata"));
        }

        if (metadata.ValueKind != JsonValueKind.Object)
        {
            return ErrorResults.BadRequest(RequestFields.MustBe("metadata", "a JSON object"));
        }

        var name = EpisodePaths.Name(context, episodeName, "events", null, "attach-metadata");
        var result = await episodes.AttachMetadataAsync(Caller(context.User), RequestFields.InstanceId(instanceId), name, id, metadata, context.RequestAborted).ConfigureAwait(false);
        return Answer(result, MetadataAttachedMessage);
    }

    private static Results<Ok<MessageResponse>, BadRequestError, NotFoundError> Answer(ModelResult result, string message) => result.Status switch
    {
        ModelResultStatus.Succeeded => TypedResults.Ok(new MessageResponse(message)),
        ModelResultStatus.NotFound => ErrorResults.NotFound(result.Error ?? RxInferErrors.ResourceNotFound),
        _ => ErrorResults.BadRequest(result.Error ?? "The request is not valid"),
    };

    private static Results<Ok<TResponse>, BadRequestError, NotFoundError> Answer<TValue, TResponse>(ModelResult<TValue> result, Func<TValue, TResponse> map) => result.Status switch
    {
        ModelResultStatus.Succeeded => TypedResults.Ok(map(result.Value!)),
        ModelResultStatus.NotFound => ErrorResults.NotFound(result.Error ?? RxInferErrors.ResourceNotFound),
        _ => ErrorResults.BadRequest(result.Error ?? "The request is not valid"),
    };

    private static EpisodeInfoResponse ToResponse(ModelEpisode episode) => new(
        episode.InstanceId,
        episode.Name,
        RequestFields.Utc(episode.CreatedAt),
        episode.Events.Select(static e => new EventResponse(e.EventId, e.Data, RequestFields.Utc(e.Timestamp), e.Metadata, e.Processed)).ToArray(),
        episode.Parameters);
}
