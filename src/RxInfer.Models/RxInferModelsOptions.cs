namespace RxInfer.Models;

/// <summary>Options of the model catalogue and instances. Bound from <c>RxInfer:Models</c> in the sample host.</summary>
public sealed class RxInferModelsOptions
{
    /// <summary>
    /// Folders of model configurations, read in order after the sources added on the builder: every immediate
    /// subfolder with a <c>config.yaml</c> (or <c>config.json</c>) is a model. Defaults to none.
    /// </summary>
#pragma warning disable CA1819 // An array binds from configuration by replacement; a list would append to the default.
    public string[] Locations { get; set; } = [];
#pragma warning restore CA1819

    /// <summary>The longest instance description accepted, in characters (Unicode code points). Defaults to 128, as the original server.</summary>
    public int MaxDescriptionLength { get; set; } = 128;
}
