using System.Text.Json;

namespace RxInfer.Models;

/// <summary>A read of one episode's parameters with its instance, from the same moment.</summary>
/// <param name="Instance">The instance, or <see langword="null"/> when the owner has no such instance.</param>
/// <param name="Parameters">The episode's parameters, or <see langword="null"/> when the instance is missing or has no live episode of that name.</param>
public readonly record struct ModelParametersRead(ModelInstance? Instance, JsonElement? Parameters);
