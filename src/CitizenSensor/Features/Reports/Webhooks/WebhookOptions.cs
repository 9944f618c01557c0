namespace CitizenSensor.Features.Reports.Webhooks;

/// <summary><c>Reports:Webhooks</c>: how status changes are pushed to app back-ends that asked for it.</summary>
public sealed class WebhookOptions
{
    /// <summary>Deliver webhooks from this app node (several nodes may; deliveries are leased).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Accept plain-http URLs. Off by default: the payload and its signature should travel encrypted.</summary>
    public bool AllowHttp { get; set; }

    /// <summary>
    /// Deliver to loopback, private, link-local and other non-public addresses. Off by default: the submit endpoint
    /// is anonymous, so without this guard anyone could make the server call the city's internal network.
    /// </summary>
    public bool AllowPrivateNetworks { get; set; }

    /// <summary>How long one attempt may take.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How often a node looks for deliveries that are due (retries, other nodes' work).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The waits before the second, third… attempt; after the last one the delivery is given up.
    /// The default spreads nine attempts over about a day.
    /// </summary>
    public TimeSpan[] RetryDelays { get; set; } =
    [
        TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(30),
        TimeSpan.FromHours(1), TimeSpan.FromHours(3), TimeSpan.FromHours(6), TimeSpan.FromHours(12),
    ];

    /// <summary>Finished deliveries (delivered or given up) are deleted after this long.</summary>
    public TimeSpan KeepFinished { get; set; } = TimeSpan.FromDays(30);
}
