using Microsoft.Extensions.Logging;

namespace RxInfer.Models;

/// <summary>Every log line of the package, with stable event ids.</summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Warning, "The models folder {Location} does not exist; no models were loaded from it", EventName = "ModelsFolderMissing")]
    public static partial void ModelsFolderMissing(ILogger logger, string location);

    [LoggerMessage(2, LogLevel.Error, "Skipped the model configuration {Path}: {Problem}", EventName = "InvalidModelConfiguration")]
    public static partial void InvalidConfiguration(ILogger logger, string path, string problem, Exception exception);

    [LoggerMessage(3, LogLevel.Error, "Skipped the model configuration {Path}: it could not be read", EventName = "UnreadableModelConfiguration")]
    public static partial void UnreadableConfiguration(ILogger logger, string path, Exception exception);

    [LoggerMessage(4, LogLevel.Warning, "Skipped the model {Name} from {Source}: a model with that name was loaded before from {FirstSource}", EventName = "DuplicateModel")]
    public static partial void DuplicateModel(ILogger logger, string name, string source, string firstSource);

    [LoggerMessage(5, LogLevel.Debug, "The folder {Folder} holds no config.yaml or config.json; it is not a model", EventName = "FolderWithoutConfiguration")]
    public static partial void FolderWithoutConfiguration(ILogger logger, string folder);

    [LoggerMessage(6, LogLevel.Information, "Loaded {Count} model(s) into the catalogue with {RoleCount} role(s)", EventName = "CatalogueLoaded")]
    public static partial void CatalogueLoaded(ILogger logger, int count, int roleCount);

    [LoggerMessage(7, LogLevel.Information, "Created model instance {InstanceId} of {ModelName} for subject {Subject}", EventName = "ModelInstanceCreated")]
    public static partial void InstanceCreated(ILogger logger, Guid instanceId, string modelName, string subject);

    [LoggerMessage(8, LogLevel.Information, "Deleted model instance {InstanceId} of subject {Subject}", EventName = "ModelInstanceDeleted")]
    public static partial void InstanceDeleted(ILogger logger, Guid instanceId, string subject);

    [LoggerMessage(9, LogLevel.Warning, "The models folder {Location} could not be listed; no models were loaded from it", EventName = "ModelsFolderUnreadable")]
    public static partial void ModelsFolderUnreadable(ILogger logger, string location, Exception exception);

    [LoggerMessage(10, LogLevel.Warning, "Skipped the model configuration {Path}: it {Reason}", EventName = "ModelConfigurationNotRead")]
    public static partial void ConfigurationNotRead(ILogger logger, string path, string reason);

    [LoggerMessage(11, LogLevel.Warning, "The runtime of model {ModelName} failed in {Operation} (instance {InstanceId}); the call changed nothing", EventName = "ModelRuntimeFailed")]
    public static partial void RuntimeFailed(ILogger logger, string operation, string modelName, Guid? instanceId, Exception exception);

    [LoggerMessage(12, LogLevel.Warning, "The runtime of model {ModelName} took longer than {Timeout} in {Operation} (instance {InstanceId}); the call was abandoned and changed nothing", EventName = "ModelRuntimeTimedOut")]
    public static partial void RuntimeTimedOut(ILogger logger, string operation, string modelName, Guid? instanceId, TimeSpan timeout);

    [LoggerMessage(13, LogLevel.Debug, "The {Operation} call of model {ModelName} (instance {InstanceId}) was cancelled by its caller; it changed nothing", EventName = "ModelRuntimeCancelled")]
    public static partial void RuntimeCancelled(ILogger logger, string operation, string modelName, Guid? instanceId);

    [LoggerMessage(14, LogLevel.Warning, "The runtime of model {ModelName} gave back an incomplete result in {Operation} (instance {InstanceId}): a value was missing (default JsonElement); the call changed nothing", EventName = "ModelRuntimeIncomplete")]
    public static partial void RuntimeIncomplete(ILogger logger, string operation, string modelName, Guid? instanceId);

    [LoggerMessage(15, LogLevel.Information, "Created episode {EpisodeName} of model instance {InstanceId}", EventName = "EpisodeCreated")]
    public static partial void EpisodeCreated(ILogger logger, string episodeName, Guid instanceId);

    [LoggerMessage(16, LogLevel.Information, "Deleted episode {EpisodeName} of model instance {InstanceId}", EventName = "EpisodeDeleted")]
    public static partial void EpisodeDeleted(ILogger logger, string episodeName, Guid instanceId);

    [LoggerMessage(17, LogLevel.Debug, "Model instance {InstanceId} changed while {Operation} ran elsewhere (attempt {Attempt}); running it again on the new version", EventName = "ModelInstanceChangedDuringRuntimeCall")]
    public static partial void VersionConflict(ILogger logger, Guid instanceId, string operation, int attempt);

    [LoggerMessage(16, LogLevel.Information, "The runtime of model {ModelName} refused its input in {Operation} (instance {InstanceId}): {Reason}; the call changed nothing", EventName = "ModelRuntimeRefusedInput")]
    public static partial void RuntimeRefusedInput(ILogger logger, string operation, string modelName, Guid? instanceId, string reason);
}
