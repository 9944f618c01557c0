using CitizenSensor.Data;
using CitizenSensor.Features.Reports.Following;
using Microsoft.EntityFrameworkCore;

namespace CitizenSensor.Features.Reports.Webhooks;

/// <summary>
/// Where another feature keeps the sealed addresses its outbox messages go to (tracing's notices to contacts): it names
/// its recipients with a prefix of its own and opens them when a channel sends.
/// </summary>
public interface IOutboxAddressBook
{
    /// <summary>The start of the recipients this book opens ("contact-notice:").</summary>
    string Prefix { get; }

    /// <summary>The address, opened from its seal, or null when it no longer exists.</summary>
    Task<string?> OpenAsync(string recipient, IServiceProvider services, CancellationToken cancellationToken);
}

/// <summary>
/// Opens the outbox's recipients that stand for a sealed address: a report's resident (<see cref="ReporterData.Recipient"/>),
/// a follower (<see cref="ReportFollowing.Recipient"/>), or one of another feature's <see cref="IOutboxAddressBook"/>.
/// The outbox keeps only these references; the address is opened from its seal at the moment a channel sends, and is
/// gone once the resident stopped following or a retention erased it. Any other recipient is an address already (an
/// answer to a message that filed nothing).
/// </summary>
public sealed class OutboxRecipients(IServiceScopeFactory scopes, IEnumerable<IOutboxAddressBook> books)
{
    private readonly IOutboxAddressBook[] _books = [.. books];

    /// <summary>The address to send to, or null when the sealed one no longer exists (the message must not go out).</summary>
    public async Task<string?> AddressAsync(string recipient, CancellationToken cancellationToken)
    {
        var follower = ReportFollowing.FollowerOf(recipient);
        var report = ReporterData.ReportOf(recipient);
        var book = _books.FirstOrDefault(b => recipient.StartsWith(b.Prefix, StringComparison.Ordinal));
        if (follower is null && report is null && book is null)
        {
            return recipient;
        }

        await using var scope = scopes.CreateAsyncScope();
        if (book is not null)
        {
            return await book.OpenAsync(recipient, scope.ServiceProvider, cancellationToken);
        }

        var db = scope.ServiceProvider.GetRequiredService<CitizenDb>();
        var sealedAddress = follower is { } followerId
            ? await db.Set<ReportFollower>().AsNoTracking().Where(f => f.Id == followerId).Select(f => f.SealedAddress).SingleOrDefaultAsync(cancellationToken)
            : await db.Reports.IgnoreQueryFilters().AsNoTracking().Where(r => r.Id == report!.Value).Select(r => r.SealedChannelAddress).SingleOrDefaultAsync(cancellationToken);
        return scope.ServiceProvider.GetRequiredService<PersonalData>().Open(sealedAddress);
    }

    /// <summary>Whether the recipient is a follower (their e-mails are not threaded as the reporter's are).</summary>
    public static bool IsFollower(string recipient) => ReportFollowing.FollowerOf(recipient) is not null;
}
