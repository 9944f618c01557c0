namespace CitizenSensor.Features.Venues;

/// <summary>Configuration section <c>Venues</c>.</summary>
public sealed class VenueOptions
{
    /// <summary>Check-ins older than this are deleted; check-ins claiming to be older are refused.</summary>
    public int RetentionDays { get; set; } = 21;

    /// <summary>How often the retention job runs.</summary>
    public TimeSpan RetentionInterval { get; set; } = TimeSpan.FromHours(1);

    public bool RetentionEnabled { get; set; } = true;

    /// <summary>How long a resident's personal QR (for venue scanners) stays valid.</summary>
    public TimeSpan PassLifetime { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Reminders a business without a QR gets before the system proposes suspending it.</summary>
    public int RemindersBeforeSuspension { get; set; } = 3;
}

