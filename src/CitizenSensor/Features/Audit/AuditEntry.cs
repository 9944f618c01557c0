using System.Text.Json;
using CitizenSensor.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CitizenSensor.Features.Audit;

/// <summary>
/// One line of the audit trail: who did what to which record, when, with the state before and after. Reading
/// personal data is recorded too (action "view-personal-data"). Written in the same transaction as the change.
/// </summary>
public sealed class AuditEntry
{
    public long Id { get; set; }

    public DateTimeOffset At { get; set; }

    public string? UserId { get; set; }

    public required string Actor { get; set; }

    public required string Action { get; set; }

    public required string EntityType { get; set; }

    public required string EntityId { get; set; }

    public string? Before { get; set; }

    public string? After { get; set; }
}

internal sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> builder)
    {
        builder.ToTable("AuditEntries");
        builder.Property(a => a.Actor).HasMaxLength(256);
        builder.Property(a => a.Action).HasMaxLength(64);
        builder.Property(a => a.EntityType).HasMaxLength(64);
        builder.Property(a => a.EntityId).HasMaxLength(64);
        builder.HasIndex(a => new { a.EntityType, a.EntityId, a.At });
        builder.HasIndex(a => a.At);
    }
}

/// <summary>Adds audit entries to the current unit of work; the caller's SaveChanges writes them with the change.</summary>
public sealed class Auditor(CitizenDb db, TimeProvider time)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Adds one entry made by <paramref name="actor"/>.</summary>
    public void Record(Staff.StaffActor actor, string action, string entityType, string entityId, object? before, object? after) =>
        Add(actor.UserId, actor.Name, action, entityType, entityId, before, after);

    private void Add(string? userId, string actor, string action, string entityType, string entityId, object? before, object? after)
    {
        db.AuditEntries.Add(new AuditEntry
        {
            At = time.GetUtcNow(),
            UserId = userId,
            Actor = actor,
            Action = action,
            EntityType = entityType,
            EntityId = entityId,
            Before = before is null ? null : JsonSerializer.Serialize(before, Json),
            After = after is null ? null : JsonSerializer.Serialize(after, Json),
        });
    }
}
