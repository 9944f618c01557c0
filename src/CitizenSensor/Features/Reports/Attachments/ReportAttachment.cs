using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CitizenSensor.Features.Reports.Attachments;

/// <summary>A photo or video sent with a report. Photos are stored with their location metadata already removed.</summary>
public sealed class ReportAttachment
{
    public Guid Id { get; set; }

    public Guid ReportId { get; set; }

    public required string BlobKey { get; set; }

    public required string ContentType { get; set; }

    public MediaKind Kind { get; set; }

    public long Length { get; set; }

    /// <summary>True for photos: EXIF/XMP removed before storing. Videos are stored as sent (staff only).</summary>
    public bool MetadataRemoved { get; set; }
}

public sealed class AttachmentOptions
{
    public int MaxFiles { get; set; } = 5;

    public long MaxPhotoBytes { get; set; } = 10 * 1024 * 1024;

    public long MaxVideoBytes { get; set; } = 100 * 1024 * 1024;

    public long MaxRequestBytes => (MaxFiles * Math.Max(MaxPhotoBytes, MaxVideoBytes)) + (1024 * 1024);
}

internal sealed class ReportAttachmentConfiguration : IEntityTypeConfiguration<ReportAttachment>
{
    public void Configure(EntityTypeBuilder<ReportAttachment> builder)
    {
        builder.ToTable("ReportAttachments");
        builder.Property(a => a.BlobKey).HasMaxLength(200);
        builder.Property(a => a.ContentType).HasMaxLength(64);
        builder.Property(a => a.Kind).HasConversion<string>().HasMaxLength(8);
        builder.HasIndex(a => a.ReportId);
        builder.HasOne<Report>().WithMany(r => r.Attachments).HasForeignKey(a => a.ReportId).OnDelete(DeleteBehavior.Cascade);
    }
}
