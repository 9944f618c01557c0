namespace CitizenSensor.Features.Tracing;

/// <summary>Configuration section <c>Tracing</c>.</summary>
public sealed class TracingOptions
{
    /// <summary>Whether the public list of places of exposure (<c>/exposure-sites</c> and its feed) is served at all. Sites appear on it only once an officer publishes them.</summary>
    public bool PublicSites { get; set; } = true;

    /// <summary>Cases closed (recovered, deceased, moved away) or opened longer ago than this, and exposures, sites and notices found longer ago, are deleted; the day figures stay.</summary>
    public int RetentionDays { get; set; } = 60;

    public TimeSpan RetentionInterval { get; set; } = TimeSpan.FromHours(1);

    public bool RetentionEnabled { get; set; } = true;
}
