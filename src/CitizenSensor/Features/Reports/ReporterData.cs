using CitizenSensor.Data;
using CitizenSensor.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace CitizenSensor.Features.Reports;

/// <summary>
/// A reporter's contact (name, phone, e-mail) and the report's channel address, sealed at rest with
/// <see cref="PersonalData"/> like check-ins: opened only to show them to the roles that may see them (audited) and to
/// send the answers; the phone also kept as a keyed hash for the call console's look-up. Erased when the report's
/// retention ends (<see cref="ReporterRetention"/>); the report itself and every count stay.
/// </summary>
public static class ReporterData
{
    private const string RecipientPrefix = "reporter:";

    /// <summary>Seals what the reporter gave (trimmed, the phone normalised) and where answers go.</summary>
    public static void Seal(Report report, PersonalData personal, ReporterContact? contact, string? channelAddress)
    {
        var phone = PhoneNumbers.Normalize(contact?.Phone);
        report.SealedReporterName = personal.Seal(string.IsNullOrWhiteSpace(contact?.Name) ? null : contact.Name.Trim());
        report.SealedReporterPhone = personal.Seal(phone);
        report.ReporterPhoneHash = phone is null ? null : Report.PhoneLookup(personal, phone);
        report.SealedReporterEmail = personal.Seal(string.IsNullOrWhiteSpace(contact?.Email) ? null : contact.Email.Trim());
        report.SealedChannelAddress = personal.Seal(channelAddress);
    }

    public static bool HasContact(Report report) =>
        report.SealedReporterName is not null || report.SealedReporterPhone is not null || report.SealedReporterEmail is not null;

    /// <summary>The reporter's contact, opened: for the roles that may see it, after the access is audited.</summary>
    public static ReporterContact? Open(Report report, PersonalData personal) =>
        HasContact(report)
            ? new ReporterContact(personal.Open(report.SealedReporterName), personal.Open(report.SealedReporterPhone), personal.Open(report.SealedReporterEmail))
            : null;

    /// <summary>The reports among these that still hold a contact or a channel address.</summary>
    public static IQueryable<Report> WithContact(IQueryable<Report> reports) =>
        reports.Where(r => r.SealedReporterName != null || r.SealedReporterPhone != null || r.SealedReporterEmail != null || r.SealedChannelAddress != null);

    /// <summary>
    /// Erases the contact and the channel address of these reports, in one statement: nobody can be told or called
    /// about them any more. Returns how many were erased.
    /// </summary>
    public static Task<int> EraseAsync(IQueryable<Report> reports, DateTimeOffset at, CancellationToken cancellationToken) =>
        WithContact(reports).ExecuteUpdateAsync(set => set
            .SetProperty(r => r.SealedReporterName, (byte[]?)null)
            .SetProperty(r => r.SealedReporterPhone, (byte[]?)null)
            .SetProperty(r => r.SealedReporterEmail, (byte[]?)null)
            .SetProperty(r => r.ReporterPhoneHash, (byte[]?)null)
            .SetProperty(r => r.SealedChannelAddress, (byte[]?)null)
            .SetProperty(r => r.ReporterErasedAt, at), cancellationToken);

    /// <summary>
    /// The outbox's recipient for the answers to a report's resident: the channel opens the sealed address only when it
    /// sends, so the outbox never holds it, and nothing goes out once the retention erased it.
    /// </summary>
    public static string Recipient(Guid reportId) => $"{RecipientPrefix}{reportId:N}";

    public static Guid? ReportOf(string recipient) =>
        recipient.StartsWith(RecipientPrefix, StringComparison.Ordinal) && Guid.TryParseExact(recipient[RecipientPrefix.Length..], "N", out var id) ? id : null;
}
