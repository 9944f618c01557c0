using CitizenSensor.Infrastructure;

namespace CitizenSensor.Features.Reports.Attachments;

/// <summary>A file as it arrives on any channel (form upload, e-mail attachment, Messenger image…).</summary>
public sealed record IncomingFile(string FieldName, string? FileName, long Length, Func<Stream> Open);

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
            var name = $"files[{index}]";
            var label = string.IsNullOrEmpty(file.FileName) ? name : $"'{PlainText.Shorten(file.FileName, 60)}'";
            await using var stream = file.Open();
            var header = new byte[MediaSniffer.HeaderBytes];
            var read = await stream.ReadAtLeastAsync(header, header.Length, throwOnEndOfStream: false, cancellationToken);
            var type = MediaSniffer.Detect(header.AsSpan(0, read));
            if (type is null)
            {
                errors[name] = [$"{label} is not a photo (JPEG, PNG, WebP, HEIC) or video (MP4, MOV); it looks like {MediaSniffer.Describe(header.AsSpan(0, read))}."];
                continue;
            }

            var limit = type.Kind == MediaKind.Photo ? options.MaxPhotoBytes : options.MaxVideoBytes;
            if (file.Length > limit)
            {
                errors[name] = [$"{label} is {file.Length / 1024 / 1024.0:0.#} MB; a {type.Kind.ToString().ToLowerInvariant()} may be at most {limit / 1024 / 1024} MB."];
                continue;
            }

            stream.Position = 0;
            string key;
            var removed = false;
            long length = file.Length;
            if (type.Kind == MediaKind.Photo)
            {
                using var buffer = new MemoryStream((int)file.Length);
                await stream.CopyToAsync(buffer, cancellationToken);
                byte[] clean;
                try
                {
                    clean = PhotoMetadata.Strip(buffer.ToArray(), type.ContentType);
                }
                catch (InvalidDataException ex)
                {
                    errors[name] = [$"{label}: {ex.Message}"];
                    continue;
                }

                key = await blobs.PutAsync(new MemoryStream(clean), type.Extension, cancellationToken);
                length = clean.Length;
                removed = true;
            }
            else
            {
                key = await blobs.PutAsync(stream, type.Extension, cancellationToken);
            }

            Stored.Add(new ReportAttachment { Id = Guid.NewGuid(), BlobKey = key, ContentType = type.ContentType, Kind = type.Kind, Length = length, MetadataRemoved = removed });
        }

        return errors;
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
