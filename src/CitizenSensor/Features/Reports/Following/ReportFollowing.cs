using CitizenSensor.Data;
using CitizenSensor.Features.Reports.Webhooks;
using CitizenSensor.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace CitizenSensor.Features.Reports.Following;

/// <summary>What a follower's page shows: the report, and whether the address has confirmed yet.</summary>
public sealed record FollowerState(string Code, bool Confirmed, string MaskedAddress);

/// <summary>
/// Following a report by e-mail: a resident who finds their problem already reported (the nearby list on the form, the
/// public list) asks to be told what happens instead of filing it again. The rules live here, behind the tracking
/// page: only while e-mail to residents is on, only an ordinary address, only a report still open, one subscription
/// per address and report, nothing sent before the address confirms, and asking again neither tells whether the address
/// already follows nor sends more than one confirmation in <see cref="ResendAfter"/>.
/// </summary>
public sealed class ReportFollowing(CitizenDb db, PersonalData personal, ReporterMailOptions mail, TimeProvider time, IStringLocalizer<SharedResource> text)
{
    /// <summary>How many addresses may follow one report (a bound on what one report can make the outbox send).</summary>
    public const int MaxPerReport = 500;

    public static readonly TimeSpan ResendAfter = TimeSpan.FromMinutes(10);

    /// <summary>An unconfirmed subscription is forgotten after this; a confirmed one when its report has been finished this long.</summary>
    public static readonly TimeSpan Retention = TimeSpan.FromDays(30);

    public bool Offered => mail.FollowingOffered;

    /// <summary>Asks to follow: a confirmation e-mail goes out (or went out recently), whatever the address's state.</summary>
    public async Task<Outcome<string>> RequestAsync(string code, string? email, CancellationToken cancellationToken)
    {
        if (!Offered)
        {
            return new Outcome<string>.Conflict(text["FollowNotOffered"]);
        }

        var address = email?.Trim() ?? "";
        if (!EmailAddresses.IsOrdinary(address))
        {
            return Outcome.Invalid<string>("email", text["FollowEmailInvalid"]);
        }

        var normalized = Report.NormalizeCode(code);
        var report = await db.Reports.IgnoreQueryFilters().AsNoTracking().Where(r => r.Code == normalized)
            .Select(r => new { r.Id, r.Code, r.Status }).SingleOrDefaultAsync(cancellationToken);
        if (report is null)
        {
            return new Outcome<string>.NotFound(text["TrackNotFound", PlainText.Shorten(code, 20)]);
        }

        if (report.Status is ReportStatus.Resolved or ReportStatus.Rejected)
        {
            return new Outcome<string>.Conflict(text["FollowFinished"]);
        }

        var hash = personal.Hash("report-follower", EmailAddresses.Normalize(address));
        var now = time.GetUtcNow();
        var follower = await db.Set<ReportFollower>().SingleOrDefaultAsync(f => f.ReportId == report.Id && f.AddressHash == hash, cancellationToken);
        if (follower is null)
        {
            if (await db.Set<ReportFollower>().CountAsync(f => f.ReportId == report.Id, cancellationToken) >= MaxPerReport)
            {
                return new Outcome<string>.Conflict(text["FollowFull"]);
            }

            follower = new ReportFollower
            {
                Id = Guid.CreateVersion7(now),
                ReportId = report.Id,
                AddressHash = hash,
                SealedAddress = personal.Encrypt(EmailAddresses.Normalize(address)),
                Token = ReportFollower.NewToken(),
                CreatedAt = now,
            };
            db.Add(follower);
        }
        else if (follower.ConfirmedAt is not null || now - follower.ConfirmationSentAt < ResendAfter)
        {
            return Outcome.Done(report.Code); // the same answer: nothing tells whether this address follows already
        }

        follower.ConfirmationSentAt = now;
        db.Add(WebhookOutbox.Email(Recipient(follower.Id), new EmailPayload(
            SharedResource.Bilingual("FollowConfirmMail", report.Code), report.Code, null, null, ReportFollower.LinkPath(report.Code, follower.Id, follower.Token)),
            now, report.Id, "follow-confirm"));
        await db.SaveChangesAsync(cancellationToken);
        return Outcome.Done(report.Code);
    }

    /// <summary>The subscription the link names, if the link is right.</summary>
    public async Task<FollowerState?> FindAsync(string code, Guid id, string? token, CancellationToken cancellationToken)
    {
        var found = await LoadAsync(code, id, token, cancellationToken);
        return found is null ? null : new FollowerState(found.Value.Code, found.Value.Follower.ConfirmedAt is not null, Mask(personal.Decrypt(found.Value.Follower.SealedAddress)));
    }

    public async Task<Outcome<string>> ConfirmAsync(string code, Guid id, string? token, CancellationToken cancellationToken)
    {
        if (await LoadAsync(code, id, token, cancellationToken) is not { } found)
        {
            return new Outcome<string>.NotFound(text["FollowLinkUnknown"]);
        }

        found.Follower.ConfirmedAt ??= time.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
        return Outcome.Done(found.Code);
    }

    /// <summary>Stops following: the subscription and its sealed address are deleted; messages still queued for it are not sent.</summary>
    public async Task<Outcome<string>> StopAsync(string code, Guid id, string? token, CancellationToken cancellationToken)
    {
        if (await LoadAsync(code, id, token, cancellationToken) is not { } found)
        {
            return new Outcome<string>.NotFound(text["FollowLinkUnknown"]);
        }

        db.Remove(found.Follower);
        await db.SaveChangesAsync(cancellationToken);
        return Outcome.Done(found.Code);
    }

    /// <summary>The outbox's recipient for a follower: the e-mail channel opens the sealed address when it sends.</summary>
    public static string Recipient(Guid followerId) => $"follower:{followerId:N}";

    public static Guid? FollowerOf(string recipient) =>
        recipient.StartsWith("follower:", StringComparison.Ordinal) && Guid.TryParseExact(recipient["follower:".Length..], "N", out var id) ? id : null;

    /// <summary>"n•••@example.org": enough for the resident to recognise the address, not enough to read it off a screen.</summary>
    public static string Mask(string address)
    {
        var at = address.IndexOf('@', StringComparison.Ordinal);
        return at <= 0 ? "•••" : $"{address[0]}•••{address[at..]}";
    }

    private async Task<(string Code, ReportFollower Follower)?> LoadAsync(string code, Guid id, string? token, CancellationToken cancellationToken)
    {
        var normalized = Report.NormalizeCode(code);
        var follower = await db.Set<ReportFollower>().SingleOrDefaultAsync(f => f.Id == id, cancellationToken);
        if (follower is null || !follower.TokenMatches(token))
        {
            return null;
        }

        var reportCode = await db.Reports.IgnoreQueryFilters().Where(r => r.Id == follower.ReportId).Select(r => r.Code).SingleAsync(cancellationToken);
        return reportCode == normalized ? (reportCode, follower) : null;
    }
}
