namespace CitizenSensor.Features.Declarations;

/// <summary>Configuration section <c>Declarations</c>.</summary>
public sealed class DeclarationOptions
{
    /// <summary>How long the ward's health officer has to follow up a symptomatic or exposed person.</summary>
    public TimeSpan FollowUpDue { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How often overdue follow-ups are looked for and escalated to the district.</summary>
    public TimeSpan FollowUpCheckInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Whether this node escalates overdue follow-ups (every node may; one is enough).</summary>
    public bool FollowUpMonitorEnabled { get; set; } = true;

    /// <summary>The reporting day of the figures when a request does not choose: <c>Calendar</c> or <c>NoonToNoon</c>.</summary>
    public ReportingDay ReportingDay { get; set; } = ReportingDay.Calendar;

    /// <summary>Declarations (and the per-person days behind the figures) older than this are deleted; the day figures stay.</summary>
    public int RetentionDays { get; set; } = 28;

    public TimeSpan RetentionInterval { get; set; } = TimeSpan.FromHours(1);

    public bool RetentionEnabled { get; set; } = true;

    /// <summary>How long the personal QR given after a declaration stays valid.</summary>
    public TimeSpan PassLifetime { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Declarations a partner system may send in one batch request.</summary>
    public int MaxBatch { get; set; } = 1000;
}
