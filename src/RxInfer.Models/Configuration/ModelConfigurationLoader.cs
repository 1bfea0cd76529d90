using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using RxInfer.Text;

namespace RxInfer.Models;

/// <summary>
/// Reads folders in the RxInferServer layout: every immediate subfolder holding <c>config.yaml</c> (or, when
/// there is none, <c>config.json</c>) is one model. Subfolders are read in ordinal name order.
/// </summary>
/// <remarks>
/// A configuration file is checked before it is opened: it must be (or link to) a regular file with content and at
/// most <see cref="MaxFileBytes"/> bytes, so a directory, a FIFO (whose opening would block start-up), a device such as
/// <c>/dev/zero</c> (endless) or a huge file is skipped with a warning that names it, and never read. Those have no
/// size, as does an empty file: .NET tells a file's size but not its type, and a size of zero covers all of them
/// without opening anything. The file is then read once, never more than the limit, and must be UTF-8.
/// </remarks>
internal static class ModelConfigurationLoader
{
    public const string YamlFileName = "config.yaml";
    public const string JsonFileName = "config.json";

    /// <summary>The largest configuration file read: 1 MiB (a real one is a few KiB).</summary>
    public const int MaxFileBytes = 1024 * 1024;

    /// <summary>The deepest nesting of a configuration, YAML or JSON.</summary>
    public const int MaxDepth = 64;

    private static readonly JsonDocumentOptions JsonOptions = new()
    {
        AllowDuplicateProperties = false,
        CommentHandling = JsonCommentHandling.Skip,
        MaxDepth = MaxDepth,
    };

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>
    /// The valid models of <paramref name="location"/>. A missing or unreadable folder and a configuration that is not a
    /// file it may read are warnings; an invalid configuration is an error; either way the model is skipped and the
    /// others load.
    /// </summary>
    public static List<(ModelDefinition Model, string Path)> LoadDirectory(string location, ILogger logger)
    {
        var models = new List<(ModelDefinition Model, string Path)>();
        if (!Directory.Exists(location))
        {
            Log.ModelsFolderMissing(logger, location);
            return models;
        }

        string[] folders;
        try
        {
            folders = Directory.GetDirectories(location);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            Log.ModelsFolderUnreadable(logger, location, exception);
            return models;
        }

        Array.Sort(folders, StringComparer.Ordinal);
        foreach (var folder in folders)
        {
            var path = Path.Combine(folder, YamlFileName);
            if (!IsPresent(path))
            {
                path = Path.Combine(folder, JsonFileName);
                if (!IsPresent(path))
                {
                    Log.FolderWithoutConfiguration(logger, folder);
                    continue;
                }
            }

            try
            {
                if (CheckFile(path) is { } reason)
                {
                    Log.ConfigurationNotRead(logger, path, reason);
                    continue;
                }

                models.Add((LoadFile(path), path));
            }
            catch (ModelConfigurationException exception)
            {
                Log.InvalidConfiguration(logger, path, exception.Message, exception);
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                Log.UnreadableConfiguration(logger, path, exception);
            }
        }

        return models;
    }

    /// <summary>Reads one configuration file (<c>.json</c> as JSON, anything else as YAML), checking it first as <see cref="LoadDirectory"/> does.</summary>
    /// <exception cref="ModelConfigurationException">The file is not one it reads, or not a valid configuration.</exception>
    public static ModelDefinition LoadFile(string path)
    {
        if (CheckFile(path) is { } reason)
        {
            throw new ModelConfigurationException(path, field: null, reason);
        }

        var bytes = ReadAtMost(path, MaxFileBytes);
        var utf8 = bytes.AsSpan();
        if (utf8.StartsWith(Encoding.UTF8.Preamble))
        {
            utf8 = utf8[Encoding.UTF8.Preamble.Length..];
        }

        if (!System.Text.Unicode.Utf8.IsValid(utf8))
        {
            throw new ModelConfigurationException(path, field: null, "is not UTF-8 text");
        }

        JsonElement configuration;
        if (path.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                if (!JsonUnicode.HasOnlyValidText(utf8, MaxDepth, allowComments: true))
                {
                    throw new ModelConfigurationException(path, field: null, "holds a string that is not valid Unicode (an unpaired surrogate escape)");
                }

                using var document = JsonDocument.Parse(bytes.AsMemory(bytes.Length - utf8.Length), JsonOptions);
                configuration = document.RootElement.Clone();
            }
            catch (JsonException exception)
            {
                throw new ModelConfigurationException(path, field: null, $"is not valid JSON (or is nested deeper than {MaxDepth}) at line {exception.LineNumber + 1}: {exception.Message}", exception);
            }
        }
        else
        {
            configuration = YamlJsonConverter.Convert(StrictUtf8.GetString(utf8), path);
        }

        return ModelDefinition.FromConfiguration(configuration, path);
    }

    /// <summary>Whether anything is at <paramref name="path"/>: a file, a folder, a FIFO, a device, or a link, even a broken one.</summary>
    private static bool IsPresent(string path) => Path.Exists(path) || new FileInfo(path).LinkTarget is not null;

    /// <summary>Why <paramref name="path"/> is not read, or <see langword="null"/> when it is a regular file of an acceptable size. Opens nothing.</summary>
    private static string? CheckFile(string path)
    {
        FileSystemInfo entry = new FileInfo(path);
        if (entry.LinkTarget is not null)
        {
            FileSystemInfo? target;
            try
            {
                target = entry.ResolveLinkTarget(returnFinalTarget: true);
            }
            catch (IOException)
            {
                return "is a link that cannot be followed (a loop, or too many links)";
            }

            if (target is null || !Path.Exists(target.FullName))
            {
                return "is a link to nothing";
            }

            entry = target;
        }

        if (Directory.Exists(entry.FullName))
        {
            return "is a directory, not a file";
        }

        var file = new FileInfo(entry.FullName);
        if (!file.Exists)
        {
            return "does not exist";
        }

        return file.Length switch
        {
            0 => "is empty or is not a regular file (a FIFO, a device or a socket): it is not read",
            > MaxFileBytes => $"is {file.Length} bytes, more than the limit of {MaxFileBytes} bytes",
            _ => null,
        };
    }

    /// <summary>The file's bytes, failing if it holds more than <paramref name="limit"/> (it may have grown since it was checked).</summary>
    private static byte[] ReadAtMost(string path, int limit)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);
        var buffer = new byte[Math.Min(limit + 1, 64 * 1024)];
        var length = 0;
        while (true)
        {
            if (length == buffer.Length)
            {
                if (buffer.Length > limit)
                {
                    throw new ModelConfigurationException(path, field: null, $"is more than the limit of {limit} bytes");
                }

                Array.Resize(ref buffer, Math.Min(buffer.Length * 2, limit + 1));
            }

            var read = stream.Read(buffer, length, buffer.Length - length);
            if (read == 0)
            {
                return buffer.AsSpan(0, length).ToArray();
            }

            length += read;
        }
    }
}
