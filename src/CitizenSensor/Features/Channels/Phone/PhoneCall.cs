using CitizenSensor.Features.Staff;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CitizenSensor.Features.Channels.Phone;

/// <summary>
/// One call on the 1022 line, inbound or outbound, as the agent or the switchboard logged it. A call belongs to the
/// unit of whoever logged it (a city's contact centre), so agents of one city never see another city's callers.
/// </summary>
public sealed class PhoneCall : IUnitScoped
{
    public static readonly string[] Directions = ["inbound", "outbound"];

    /// <summary>missed; answered-directly (the agent answered the question); forwarded (a report was filed); care-call.</summary>
    public static readonly string[] Outcomes = ["missed", "answered-directly", "forwarded", "care-call"];

    public long Id { get; set; }

    public required string Direction { get; set; }

    /// <summary>The line or branch number the call came in on (the seed's hotline has several).</summary>
    public string? Line { get; set; }

    /// <summary>The caller's phone (normalised), sealed (<see cref="Data.PersonalData"/>); personal data, seen by call agents and Admin only.</summary>
    public byte[] SealedCallerPhone { get; set; } = [];

    /// <summary>The keyed hash of the caller's phone (<see cref="Reports.Report.PhoneLookup"/>, as the reports'): finds a caller's calls and reports.</summary>
    public byte[] CallerPhoneHash { get; set; } = [];

    public DateTimeOffset StartedAt { get; set; }

    public DateTimeOffset? AnsweredAt { get; set; }

    public DateTimeOffset? EndedAt { get; set; }

    public required string Outcome { get; set; }

    /// <summary>The report the call created (forwarded) or was about (a call-back).</summary>
    public Guid? ReportId { get; set; }

    /// <summary>Who logged it: the agent's e-mail, or the switchboard integration's account.</summary>
    public required string LoggedBy { get; set; }

    public string? Note { get; set; }

    /// <summary>The unit whose line took the call; see <see cref="UnitFor"/>.</summary>
    public string? UnitPath { get; set; }

    /// <summary>
    /// The logging agent's unit; for someone without a unit (an administrator), the city of the report the call is
    /// about; else none, and then only administrators see it.
    /// </summary>
    public static string? UnitFor(StaffActor actor, string? reportPath) =>
        actor.UnitPath ?? (reportPath is { Length: > 1 } path ? path[..(path.IndexOf('/', 1) + 1)] : null);
}

internal sealed class CallConfiguration : IEntityTypeConfiguration<PhoneCall>
{
    public void Configure(EntityTypeBuilder<PhoneCall> builder)
    {
        builder.ToTable("Calls");
        builder.Property(c => c.Direction).HasMaxLength(16);
        builder.Property(c => c.Line).HasMaxLength(20);
        builder.Property(c => c.Outcome).HasMaxLength(20);
        builder.Property(c => c.LoggedBy).HasMaxLength(256);
        builder.Property(c => c.Note).HasMaxLength(1000);
        builder.Property(c => c.CallerPhoneHash).HasMaxLength(32);
        builder.HasIndex(c => new { c.CallerPhoneHash, c.StartedAt });
        builder.HasIndex(c => c.StartedAt);
        builder.Property(c => c.UnitPath).HasMaxLength(256);
        builder.HasIndex(c => c.UnitPath);
        builder.HasOne<Reports.Report>().WithMany().HasForeignKey(c => c.ReportId).OnDelete(DeleteBehavior.SetNull);
    }
}
