using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace RxInfer.Models;

/// <summary>
/// Reads folders in the RxInferServer layout: every immediate subfolder holding <c>config.yaml</c> (or, when
/// there is none, <c>config.json</c>) is one model. Subfolders are read in ordinal name order.
/// </summary>
internal static class ModelConfigurationLoader
{
    public const string YamlFileName = "config.yaml";
    public const string JsonFileName = "config.json";

    private static readonly JsonDocumentOptions JsonOptions = new()
    {
        AllowDuplicateProperties = false,
        CommentHandling = JsonCommentHandling.Skip,
    };

    /// <summary>The valid models of <paramref name="location"/>; a missing folder is a warning, an invalid configuration is logged and skipped.</summary>
    public static List<(ModelDefinition Model, string Path)> LoadDirectory(string location, ILogger logger)
    {
        var models = new List<(ModelDefinition Model, string Path)>();
        if (!Directory.Exists(location))
        {
            Log.ModelsFolderMissing(logger, location);
            return models;
        }

        var folders = Directory.GetDirectories(location);
        Array.Sort(folders, StringComparer.Ordinal);
        foreach (var folder in folders)
        {
            var path = Path.Combine(folder, YamlFileName);
            if (!File.Exists(path))
            {
                path = Path.Combine(folder, JsonFileName);
                if (!File.Exists(path))
                {
                    Log.FolderWithoutConfiguration(logger, folder);
                    continue;
                }
            }

            try
            {
                models.Add((LoadFile(path), path));
            }
            catch (ModelConfigurationException exception)
            {
                Log.InvalidConfiguration(logger, path, exception.Field, exception);
            }
            catch (IOException exception)
            {
                Log.UnreadableConfiguration(logger, path, exception);
            }
            catch (UnauthorizedAccessException exception)
            {
                Log.UnreadableConfiguration(logger, path, exception);
            }
        }

        return models;
    }

    /// <summary>Reads one configuration file (<c>.json</c> as JSON, anything else as YAML).</summary>
    /// <exception cref="ModelConfigurationException">The file is not a valid configuration.</exception>
    public static ModelDefinition LoadFile(string path)
    {
        var text = File.ReadAllText(path);
        JsonElement configuration;
        if (path.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                using var document = JsonDocument.Parse(text, JsonOptions);
                configuration = document.RootElement.Clone();
            }
            catch (JsonException exception)
            {
                throw new ModelConfigurationException(path, field: null, $"is not valid JSON at line {exception.LineNumber + 1}: {exception.Message}", exception);
            }
        }
        else
        {
            configuration = YamlJsonConverter.Convert(text, path);
        }

        return ModelDefinition.FromConfiguration(configuration, path);
    }
}
