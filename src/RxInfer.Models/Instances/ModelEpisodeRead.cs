namespace RxInfer.Models;

/// <summary>A read of one episode with its instance, from the same moment.</summary>
/// <param name="Instance">The instance, or <see langword="null"/> when the owner has no such instance.</param>
/// <param name="Episode">The episode, or <see langword="null"/> when the instance is missing or has no live episode of that name.</param>
public readonly record struct ModelEpisodeRead(ModelInstance? Instance, ModelEpisode? Episode);
