using CitizenSensor.Data;
using CitizenSensor.Features.Reports.Following;
using Microsoft.EntityFrameworkCore;

namespace CitizenSensor.Features.Reports.Webhooks;

/// <summary>
/// Opens the outbox's recipients that stand for a sealed address: a report's resident (<see cref="ReporterData.Recipient"/>)
/// or a follower (<see cref="ReportFollowing.Recipient"/>). The outbox keeps only these references; the address is
/// opened from its seal at the moment a channel sends, and is gone once the resident stopped following or the
/// report's retention erased it. Any other recipient is an address already (an answer to a message that filed nothing).
/// </summary>
public sealed class OutboxRecipients(IServiceScopeFactory scopes)
{
    /// <summary>The address to send to, or null when the sealed one no longer exists (the message must not go out).</summary>
    public async Task<string?> AddressAsync(string recipient, CancellationToken cancellationToken)
    {
        var follower = ReportFollowing.FollowerOf(recipient);
        var report = ReporterData.ReportOf(recipient);
        if (follower is null && report is null)
        {
            return recipient;
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CitizenDb>();
        var sealedAddress = follower is { } followerId
            ? await db.Set<ReportFollower>().AsNoTracking().Where(f => f.Id == followerId).Select(f => f.SealedAddress).SingleOrDefaultAsync(cancellationToken)
            : await db.Reports.IgnoreQueryFilters().AsNoTracking().Where(r => r.Id == report!.Value).Select(r => r.SealedChannelAddress).SingleOrDefaultAsync(cancellationToken);
        return scope.ServiceProvider.GetRequiredService<PersonalData>().Open(sealedAddress);
    }

    /// <summary>Whether the recipient is a follower (their e-mails are not threaded as the reporter's are).</summary>
    public static bool IsFollower(string recipient) => ReportFollowing.FollowerOf(recipient) is not null;
}
