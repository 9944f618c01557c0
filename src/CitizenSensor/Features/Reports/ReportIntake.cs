using System.Security.Cryptography;
using System.Text.Json;
using CitizenSensor.Data;
using CitizenSensor.Features.Reports.Attachments;
using CitizenSensor.Features.Reports.Webhooks;
using Microsoft.EntityFrameworkCore;

namespace CitizenSensor.Features.Reports;

public enum IntakeOutcome
{
    Created,
    Replayed,
    Invalid,
    KeyReused,
}

public sealed record IntakeResult(IntakeOutcome Outcome, Report? Report, Dictionary<string, string[]> Errors)
{
    public IReadOnlyList<LikelyDuplicate> LikelyDuplicates { get; init; } = [];
}

/// <summary>
/// Announces that a report changed (status or content), in this process: the live tracking page and the outbox
/// sender listen. Other nodes' changes are found by their own polling.
/// </summary>
public sealed class ReportSignal
{
    /// <summary>Raised after a report's status or content changed.</summary>
    public event Action<string>? Changed;

    public void NotifyChanged(string code) => Changed?.Invoke(code);
}

/// <summary>
/// <c>Reports:EmailReporters</c>: whether residents who give an e-mail on the web form or in the app are told by e-mail
/// (the acknowledgement, each public status change and the result, through the outbox and the e-mail channel). On by
/// default where an SMTP relay is configured (<c>Email:Smtp:Host</c>).
/// </summary>
public sealed class ReporterMailOptions
{
    /// <summary>The longest address the outbox keeps as a report's channel address.</summary>
    public const int MaxAddress = 100;

    public bool Enabled { get; set; }

    /// <summary>Residents may follow others' reports by e-mail: needs e-mail to residents and the public site's address for the links.</summary>
    public bool FollowingOffered { get; set; }

    /// <summary>Where a web or app report's answers go: the reporter's e-mail, when they gave one and this is on.</summary>
    public string? AddressFor(string channel, string? email) =>
        Enabled && channel is ReportChannels.Web or ReportChannels.App && !string.IsNullOrWhiteSpace(email) && email.Trim().Length <= MaxAddress
            ? email.Trim()
            : null;
}

/// <summary>
/// Stores a report durably and acknowledges it; classification and routing happen after, in the background.
/// Shared by every channel so that a report is the same report whatever door it came in by.
/// </summary>
public sealed class ReportIntake(CitizenDb db, TimeProvider time, CategoryCache categories, IBlobStore blobs, AttachmentOptions attachmentOptions, DuplicateFinder duplicates, ReportWriter writer, WebhookOptions webhookOptions, ReporterMailOptions reporterMail, PersonalData personal)
{
    /// <summary>Validates, stores (durably, with its files) and acknowledges a report; channelAddress is where answers go on
    /// channels whose address is not the reporter's e-mail (a Messenger id).</summary>
    public async Task<IntakeResult> SubmitAsync(ReportSubmission submission, string channel, string? idempotencyKey, CancellationToken cancellationToken, IReadOnlyList<IncomingFile>? files = null, string? channelAddress = null)
    {
        var errors = ReportRules.Validate(submission, await categories.ActiveCodesAsync(cancellationToken));
        WebhookRules.Validate(submission.WebhookUrl, webhookOptions, errors);
        if (idempotencyKey is not null && (idempotencyKey.Length is 0 or > ReportRules.MaxIdempotencyKey || idempotencyKey.Any(c => c is < '!' or > '~')))
        {
            errors["Idempotency-Key"] = [$"The 'Idempotency-Key' header must be 1 to {ReportRules.MaxIdempotencyKey} printable ASCII characters."];
        }

        if (errors.Count > 0)
        {
            return new IntakeResult(IntakeOutcome.Invalid, null, errors);
        }

        var requestHash = idempotencyKey is null ? null : Hash(submission, channel);
        if (idempotencyKey is not null && await ReplayAsync(idempotencyKey, requestHash!, cancellationToken) is { } earlier)
        {
            return earlier;
        }

        var attachments = new AttachmentIntake(blobs, attachmentOptions);
        if (files is { Count: > 0 })
        {
            var fileErrors = await attachments.StoreAsync(files, cancellationToken);
            if (fileErrors.Count > 0)
            {
                await attachments.DiscardAsync();
                return new IntakeResult(IntakeOutcome.Invalid, null, fileErrors);
            }
        }

        var now = time.GetUtcNow();
        var reporter = submission.Anonymous ? null : submission.Reporter;
        var id = Guid.CreateVersion7(now);
        var report = new Report
        {
            Id = id,
            Code = Report.NewCode(),
            Description = submission.Description?.Trim() ?? "",
            Latitude = submission.Lat,
            Longitude = submission.Lng,
            Address = string.IsNullOrWhiteSpace(submission.Address) ? null : submission.Address.Trim(),
            CategoryHint = string.IsNullOrEmpty(submission.Category) ? null : submission.Category,
            Status = ReportStatus.Received,
            Channel = channel,
            Anonymous = submission.Anonymous,
            SubmittedAt = now,
            IdempotencyKey = idempotencyKey,
            RequestHash = requestHash,
            Events = [new ReportEvent { ReportId = id, At = now, Status = ReportStatus.Received }],
            Attachments = attachments.Stored,
            WebhookUrl = submission.WebhookUrl,
            WebhookSecret = submission.WebhookUrl is null ? null : WebhookRules.NewSecret(),
        };
        ReporterData.Seal(report, personal, reporter, channelAddress ?? reporterMail.AddressFor(channel, reporter?.Email));
        try
        {
            await writer.WriteAsync(report, cancellationToken);
        }
        catch (DbUpdateException) when (idempotencyKey is not null)
        {
            // Two retries raced with the same key: the other one won; answer with its report.
            await attachments.DiscardAsync();
            if (await ReplayAsync(idempotencyKey, requestHash!, cancellationToken) is { } winner)
            {
                return winner;
            }

            throw;
        }
        catch
        {
            await attachments.DiscardAsync(); // nothing half-written: no files without their report
            throw;
        }

        // Told to the resident at once ("someone reported this already"); the report is kept either way.
        var likely = await duplicates.FindAsync(db, report.Code, report.Description, report.Latitude, report.Longitude, now, ignoreScope: true, cancellationToken);
        return new IntakeResult(IntakeOutcome.Created, report, []) { LikelyDuplicates = likely };
    }

    private async Task<IntakeResult?> ReplayAsync(string key, string requestHash, CancellationToken cancellationToken)
    {
        var earlier = await db.Reports.IgnoreQueryFilters().AsNoTracking().SingleOrDefaultAsync(r => r.IdempotencyKey == key, cancellationToken);
        if (earlier is null)
        {
            return null;
        }

        return earlier.RequestHash == requestHash
            ? new IntakeResult(IntakeOutcome.Replayed, earlier, [])
            : new IntakeResult(IntakeOutcome.KeyReused, earlier, new Dictionary<string, string[]>
            {
                ["Idempotency-Key"] = ["This key was already used for a different report. Use a new key for a new report."],
            });
    }

    private static string Hash(ReportSubmission submission, string channel) =>
        Convert.ToHexStringLower(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(new { submission, channel })));
}
