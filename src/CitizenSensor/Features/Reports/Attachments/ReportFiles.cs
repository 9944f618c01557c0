using CitizenSensor.Data;
using Microsoft.EntityFrameworkCore;

namespace CitizenSensor.Features.Reports.Attachments;

/// <summary>
/// Adds a resident's later photos and videos to their open report (an e-mail reply, a Messenger follow-up): checked
/// and stripped like a new report's, up to the report's file limit. The rows are added to the caller's unit of work;
/// if its save fails, <see cref="DiscardAsync"/> deletes the stored files, so no file outlives a failed save.
/// </summary>
public sealed class ReportFiles(CitizenDb db, IBlobStore blobs, AttachmentOptions options)
{
    private AttachmentIntake? _intake;

    /// <summary>How many more files the report may hold.</summary>
    public async Task<int> RoomAsync(Guid reportId, CancellationToken cancellationToken) =>
        Math.Max(0, options.MaxFiles - await db.Set<ReportAttachment>().CountAsync(a => a.ReportId == reportId, cancellationToken));

    /// <summary>
    /// Stores the files that pass the checks as the report's; returns a line for the resident's note saying how many of
    /// the <paramref name="sent"/> files were added, and why the others were not.
    /// </summary>
    public async Task<string> AddAsync(Guid reportId, IReadOnlyList<IncomingFile> files, int sent, int room, CancellationToken cancellationToken)
    {
        _intake ??= new AttachmentIntake(blobs, options);
        var before = _intake.Stored.Count;
        var refused = await _intake.StoreAsync(files, cancellationToken);
        var added = _intake.Stored.Skip(before).ToList();
        foreach (var file in added)
        {
            file.ReportId = reportId;
            db.Add(file);
        }

        var line = $"({added.Count}/{sent} tệp ảnh/video đã thêm vào phản ánh / photos or videos added to the report)";
        var reasons = refused.Values.SelectMany(v => v).ToList();
        if (sent > room)
        {
            reasons.Add($"tối đa {options.MaxFiles} tệp mỗi phản ánh / at most {options.MaxFiles} files per report");
        }

        return reasons.Count == 0 ? line : $"{line}\n({string.Join("; ", reasons)})";
    }

    public async Task DiscardAsync()
    {
        if (_intake is not null)
        {
            await _intake.DiscardAsync();
        }
    }
}
