namespace CitizenSensor.Features.Venues;

/// <summary>Configuration section <c>Venues</c>.</summary>
public sealed class VenueOptions
{
    /// <summary>
    /// The portal's public address as residents reach it (e.g. https://1022.hanoi.gov.vn), for the URLs inside QR codes.
    /// Empty: the address of the request that registered the venue.
    /// </summary>
    public string? PublicBaseUrl { get; set; }

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

