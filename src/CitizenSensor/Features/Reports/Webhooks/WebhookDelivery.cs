using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CitizenSensor.Features.Reports.Webhooks;

/// <summary>
/// One message about one status change, to an app back-end's webhook or to a resident on Messenger, in the outbox: written in the same transaction as the
/// change itself, so a change is never committed without its message, and sent (and retried) afterwards.
/// </summary>
public sealed class WebhookDelivery
{
    public const int MaxUrl = 1000;
    public const string Webhook = "webhook";
    public const string Messenger = "messenger";
    public const string Email = "email";
    public const string Sms = "sms";

    public long Id { get; set; }

    /// <summary>The message id sent as <c>webhook-id</c>; the same on every retry, so a receiver can drop repeats.</summary>
    public Guid MessageId { get; set; }

    /// <summary>The report the message is about; none for a channel's replies that precede a report (a prompt).</summary>
    public Guid? ReportId { get; set; }

    /// <summary><see cref="Webhook"/> (a signed POST to <see cref="Url"/>) or <see cref="Messenger"/> (the Send API).</summary>
    public string Kind { get; set; } = Webhook;

    /// <summary>The webhook URL; for Messenger, the recipient's page-scoped id.</summary>
    public required string Url { get; set; }

    /// <summary>The status the message tells of (<c>routed</c>, <c>resolved</c>…).</summary>
    public required string Status { get; set; }

    /// <summary>The JSON body, fixed when the change happened.</summary>
    public required string Payload { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public int Attempts { get; set; }

    public DateTimeOffset NextAttemptAt { get; set; }

    public DateTimeOffset? DeliveredAt { get; set; }

    /// <summary>Set when the delivery stopped without success (attempts used up, refused address, 410 Gone).</summary>
    public DateTimeOffset? GaveUpAt { get; set; }

    public int? LastStatusCode { get; set; }

    public string? LastError { get; set; }

    public DateTimeOffset? LeaseUntil { get; set; }

    public Guid? LeaseOwner { get; set; }

    /// <summary>The event this message tells of, while both are being saved (not stored).</summary>
    internal ReportEvent? Source { get; set; }
}

internal sealed class WebhookDeliveryConfiguration : IEntityTypeConfiguration<WebhookDelivery>
{
    public void Configure(EntityTypeBuilder<WebhookDelivery> builder)
    {
        builder.ToTable("WebhookDeliveries");
        builder.Ignore(d => d.Source);
        builder.Property(d => d.Url).HasMaxLength(WebhookDelivery.MaxUrl);
        builder.Property(d => d.Status).HasMaxLength(16);
        builder.Property(d => d.Kind).HasMaxLength(16);
        builder.Property(d => d.Payload).HasMaxLength(16_000);
        builder.Property(d => d.LastError).HasMaxLength(500);
        builder.HasIndex(d => d.MessageId).IsUnique();
        builder.HasIndex(d => d.NextAttemptAt);
        builder.HasIndex(d => d.ReportId);
        builder.HasOne<Report>().WithMany().HasForeignKey(d => d.ReportId).OnDelete(DeleteBehavior.Cascade);
    }
}
