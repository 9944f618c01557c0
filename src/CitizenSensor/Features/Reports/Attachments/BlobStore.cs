namespace CitizenSensor.Features.Reports.Attachments;

/// <summary>Where attachment bytes live. A local folder by default; an S3-compatible store can implement the same three calls.</summary>
public interface IBlobStore
{
    /// <summary>Stores the bytes durably (flushed to disk) and returns their key.</summary>
    Task<string> PutAsync(Stream content, string extension, CancellationToken cancellationToken);

    Task<Stream?> OpenAsync(string key, CancellationToken cancellationToken);

    Task DeleteAsync(string key, CancellationToken cancellationToken);
}

public sealed class BlobOptions
{
    /// <summary>Folder for the local store, relative to the content root. Several app nodes need a shared folder or an object store.</summary>
    public string Path { get; set; } = "data/blobs";
}

/// <summary>A folder of files named by random keys (yyyy/MM/guid.ext), written via a temporary file and an atomic rename.</summary>
public sealed class LocalBlobStore(string root, TimeProvider time) : IBlobStore
{
    public async Task<string> PutAsync(Stream content, string extension, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var key = $"{now:yyyy}/{now:MM}/{Guid.NewGuid():N}{extension}";
        var path = FullPath(key);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        var temporary = path + ".partial";
        await using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, FileOptions.Asynchronous))
        {
            await content.CopyToAsync(file, cancellationToken);
            file.Flush(flushToDisk: true);
        }

        File.Move(temporary, path);
        return key;
    }

    public Task<Stream?> OpenAsync(string key, CancellationToken cancellationToken)
    {
        var path = FullPath(key);
        return Task.FromResult<Stream?>(File.Exists(path) ? new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, FileOptions.Asynchronous) : null);
    }

    public Task DeleteAsync(string key, CancellationToken cancellationToken)
    {
        File.Delete(FullPath(key));
        return Task.CompletedTask;
    }

    private string FullPath(string key)
    {
        if (key.Contains("..", StringComparison.Ordinal) || System.IO.Path.IsPathRooted(key))
        {
            throw new ArgumentException("Not a blob key.", nameof(key));
        }

        return System.IO.Path.Combine(root, key);
    }
}
