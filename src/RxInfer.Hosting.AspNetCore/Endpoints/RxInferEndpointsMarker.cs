namespace RxInfer.Hosting.AspNetCore;

/// <summary>Registered by <c>AddRxInferEndpoints</c>; its presence tells the <c>Map</c> methods the services are there.</summary>
internal sealed class RxInferEndpointsMarker;
