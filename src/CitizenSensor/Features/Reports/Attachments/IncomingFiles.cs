using CitizenSensor.Infrastructure;

namespace CitizenSensor.Features.Reports.Attachments;

/// <summary>A file as it arrives on any channel (form upload, e-mail attachment, Messenger image…).</summary>
public sealed record IncomingFile(string FieldName, string? FileName, long Length, Func<Stream> Open);

/// <summary>Why a file was refused, for a message in the resident's language.</summary>
public enum FileProblem
{
    WrongType,
    TooLarge,
    TooMany,
    Unreadable,
}

/// <summary>A refused file: its name, why, and the English message the API answers with; Limit is the size limit (bytes) when too large, the count limit when too many.</summary>
public sealed record FileRefusal(string? FileName, FileProblem Problem, string Message, long Limit = 0);

/// <summary>One checked file: its content ready to store (owned; dispose it) or why it was refused.</summary>
public sealed record PreparedFile(IncomingFile File, MediaType? Type, Stream? Content, long Length, bool MetadataRemoved, FileRefusal? Refusal) : IDisposable
{
    public static PreparedFile Refused(IncomingFile file, FileProblem problem, string message, long limit = 0) =>
        new(file, null, null, 0, false, new FileRefusal(file.FileName, problem, message, limit));

    public void Dispose() => Content?.Dispose();
}

/// <summary>
/// Checks and stores the files of one report: count, size per kind, real content type (sniffed), metadata removed
/// from photos. Either every file is stored or none is (the caller deletes <see cref="Stored"/> on failure).
/// </summary>
public sealed class AttachmentIntake(IBlobStore blobs, AttachmentOptions options)
{
    public List<ReportAttachment> Stored { get; } = [];

    public async Task<Dictionary<string, string[]>> StoreAsync(IReadOnlyList<IncomingFile> files, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        if (files.Count > options.MaxFiles)
        {
            errors["files"] = [$"At most {options.MaxFiles} files per report (got {files.Count})."];
            return errors;
        }

        foreach (var (file, index) in files.Select((f, i) => (f, i)))
        {
            using var prepared = await PrepareAsync(file, cancellationToken);
            if (prepared.Refusal is { } refusal)
            {
                errors[$"files[{index}]"] = [refusal.Message];
                continue;
            }

            var key = await blobs.PutAsync(prepared.Content!, prepared.Type!.Extension, cancellationToken);
            Stored.Add(new ReportAttachment { Id = Guid.NewGuid(), BlobKey = key, ContentType = prepared.Type.ContentType, Kind = prepared.Type.Kind, Length = prepared.Length, MetadataRemoved = prepared.MetadataRemoved });
        }

        return errors;
    }

    /// <summary>
    /// Checks one file (its real type, its size for that kind, a photo readable) and gives its content ready to store,
    /// a photo's metadata already removed; or why it is refused.
    /// </summary>
    public async Task<PreparedFile> PrepareAsync(IncomingFile file, CancellationToken cancellationToken)
    {
        var label = string.IsNullOrEmpty(file.FileName) ? file.FieldName : $"'{PlainText.Shorten(file.FileName, 60)}'";
        var stream = file.Open();
        try
        {
            var header = new byte[MediaSniffer.HeaderBytes];
            var read = await stream.ReadAtLeastAsync(header, header.Length, throwOnEndOfStream: false, cancellationToken);
            var type = MediaSniffer.Detect(header.AsSpan(0, read));
            if (type is null)
            {
                return PreparedFile.Refused(file, FileProblem.WrongType, $"{label} is not a photo (JPEG, PNG, WebP, HEIC) or video (MP4, MOV); it looks like {MediaSniffer.Describe(header.AsSpan(0, read))}.");
            }

            var limit = type.Kind == MediaKind.Photo ? options.MaxPhotoBytes : options.MaxVideoBytes;
            if (file.Length > limit)
            {
                return PreparedFile.Refused(file, FileProblem.TooLarge, $"{label} is {file.Length / 1024 / 1024.0:0.#} MB; a {type.Kind.ToString().ToLowerInvariant()} may be at most {limit / 1024 / 1024} MB.", limit);
            }

            stream.Position = 0;
            if (type.Kind == MediaKind.Video)
            {
                var video = stream;
                stream = null;
                return new PreparedFile(file, type, video, file.Length, MetadataRemoved: false, Refusal: null);
            }

            using var buffer = new MemoryStream((int)file.Length);
            await stream.CopyToAsync(buffer, cancellationToken);
            try
            {
                var clean = PhotoMetadata.Strip(buffer.ToArray(), type.ContentType);
                return new PreparedFile(file, type, new MemoryStream(clean), clean.Length, MetadataRemoved: true, Refusal: null);
            }
            catch (InvalidDataException ex)
            {
                return PreparedFile.Refused(file, FileProblem.Unreadable, $"{label}: {ex.Message}");
            }
        }
        finally
        {
            if (stream is not null)
            {
                await stream.DisposeAsync();
            }
        }
    }

    public async Task DiscardAsync()
    {
        foreach (var attachment in Stored)
        {
            await blobs.DeleteAsync(attachment.BlobKey, CancellationToken.None);
        }

        Stored.Clear();
    }
}
