using CitizenSensor.Features.Staff;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CitizenSensor.Features.Venues.Compliance;

/// <summary>
/// A business from the registry extract that must have a QR location. It is matched to its venue when the venue is
/// registered (same ward, and the same phone or name); until then the ward reminds it, and after more than
/// <see cref="VenueOptions.RemindersBeforeSuspension"/> reminders the system proposes a suspension, which an officer
/// confirms. Registering the QR lifts the suspension.
/// </summary>
public sealed class Business : IUnitScoped
{
    public long Id { get; set; }

    public required string Name { get; set; }

    public required string Address { get; set; }

    public required string WardCode { get; set; }

    public required string DistrictCode { get; set; }

    public required string UnitPath { get; set; }

    public required string Kind { get; set; }

    /// <summary>Normalised Vietnamese number, or null when the registry has none.</summary>
    public string? Phone { get; set; }

    /// <summary>The folded name, for matching and search.</summary>
    public required string SearchName { get; set; }

    public DateTimeOffset ImportedAt { get; set; }

    public long? VenueId { get; set; }

    public Venue? Venue { get; set; }

    public string? VenueCode { get; set; }

    public DateTimeOffset? QrCreatedAt { get; set; }

    public int Reminders { get; set; }

    public DateTimeOffset? SuspensionProposedAt { get; set; }

    public DateTimeOffset? SuspendedAt { get; set; }

    public string? SuspendedBy { get; set; }

    public DateTimeOffset? SuspensionLiftedAt { get; set; }

    public int Version { get; set; }

    public bool HasQr => VenueId is not null;

    public bool IsSuspended => SuspendedAt is not null && SuspensionLiftedAt is null;
}

/// <summary>A reminder a ward gave a business to create its QR: when, by whom, how.</summary>
public sealed class BusinessReminder
{
    public long Id { get; set; }

    public long BusinessId { get; set; }

    public DateOnly Date { get; set; }

    public required string Method { get; set; }

    public required string Officer { get; set; }

    public string? Note { get; set; }

    public DateTimeOffset LoggedAt { get; set; }

    public static IReadOnlyList<string> Methods { get; } = ["visit", "phone", "sms", "letter", "other"];
}

internal sealed class BusinessConfiguration : IEntityTypeConfiguration<Business>
{
    public void Configure(EntityTypeBuilder<Business> builder)
    {
        builder.ToTable("Businesses");
        builder.Property(b => b.Name).HasMaxLength(VenueRules.MaxName);
        builder.Property(b => b.Address).HasMaxLength(VenueRules.MaxAddress);
        builder.Property(b => b.WardCode).HasMaxLength(16);
        builder.Property(b => b.DistrictCode).HasMaxLength(16);
        builder.Property(b => b.UnitPath).HasMaxLength(256);
        builder.Property(b => b.Kind).HasMaxLength(16);
        builder.Property(b => b.Phone).HasMaxLength(16);
        builder.Property(b => b.SearchName).HasMaxLength(VenueRules.MaxName);
        builder.Property(b => b.VenueCode).HasMaxLength(Venue.CodeLength);
        builder.Property(b => b.SuspendedBy).HasMaxLength(256);
        builder.Property(b => b.Version).IsConcurrencyToken();
        builder.HasOne(b => b.Venue).WithMany().HasForeignKey(b => b.VenueId).OnDelete(DeleteBehavior.SetNull);
        builder.Ignore(b => b.HasQr);
        builder.Ignore(b => b.IsSuspended);
        builder.HasIndex(b => new { b.WardCode, b.VenueId });
        builder.HasIndex(b => b.UnitPath);
        builder.HasIndex(b => b.Phone);
    }
}

internal sealed class BusinessReminderConfiguration : IEntityTypeConfiguration<BusinessReminder>
{
    public void Configure(EntityTypeBuilder<BusinessReminder> builder)
    {
        builder.ToTable("BusinessReminders");
        builder.Property(r => r.Method).HasMaxLength(16);
        builder.Property(r => r.Officer).HasMaxLength(256);
        builder.Property(r => r.Note).HasMaxLength(500);
        builder.HasOne<Business>().WithMany().HasForeignKey(r => r.BusinessId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(r => r.BusinessId);
    }
}
