using System.Globalization;
using CitizenSensor.Data;
using CitizenSensor.Features.Reports.Webhooks;
using CitizenSensor.Features.Venues;
using CitizenSensor.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CitizenSensor.Features.Tracing;

/// <summary>
/// What a person found by tracing is told, once per exposure: by SMS to the phone they checked in with, by e-mail if
/// they gave one at a check-in, and on <c>/my-qr</c> and <c>/v/…</c> when that phone next opens them. It holds no
/// address: the messages name it (<see cref="Recipient"/>) and the channels open it from the check-in when they send.
/// </summary>
public sealed class ContactNotice
{
    public long Id { get; set; }

    /// <summary>What the outbox's messages name this notice by.</summary>
    public Guid Key { get; set; }

    public long ExposureId { get; set; }

    internal Exposure? Exposure { get; set; }

    /// <summary>The phone's keyed hash, as check-ins carry it: how the pages find a phone's notices.</summary>
    public required byte[] PersonHash { get; set; }

    /// <summary>The check-in that placed the person at the venue: its sealed phone (and e-mail) are where the messages go.</summary>
    public long ContactCheckInId { get; set; }

    /// <summary>The check-in that carries the person's e-mail, if any of theirs does.</summary>
    public long? EmailCheckInId { get; set; }

    public byte Generation { get; set; }

    /// <summary>The day of the last contact, and the last day of the quarantine (F1) or home monitoring (F2).</summary>
    public DateOnly ExposedOn { get; set; }

    public DateOnly Until { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>When the person first saw it on a page.</summary>
    public DateTimeOffset? SeenAt { get; set; }

    public bool BySms { get; set; }

    public bool ByEmail { get; set; }

    public const string Prefix = "contact-notice:";

    /// <summary>The outbox recipient for the notice's SMS (<c>sms</c>) or e-mail (<c>email</c>).</summary>
    public string Recipient(string channel) => $"{Prefix}{Key:N}:{channel}";
}

internal sealed class ContactNoticeConfiguration : IEntityTypeConfiguration<ContactNotice>
{
    public void Configure(EntityTypeBuilder<ContactNotice> builder)
    {
        builder.ToTable("ContactNotices");
        builder.Property(n => n.PersonHash).HasMaxLength(32);
        builder.HasIndex(n => n.Key).IsUnique();
        builder.HasIndex(n => n.ExposureId).IsUnique();
        builder.HasIndex(n => n.PersonHash);
        builder.HasOne(n => n.Exposure).WithMany().HasForeignKey(n => n.ExposureId).OnDelete(DeleteBehavior.Cascade);
    }
}

/// <summary>
/// Tells the people a trace found, in the same transaction as the exposures: a notice for each exposure that has none,
/// and its messages in the outbox for the channels this city runs (SMS when the gateway is set, e-mail when the relay
/// is). The messages say where and when, and what to do; never who the case is. The pages show less (see
/// <see cref="ForPhoneAsync"/>), since anyone can type a phone number.
/// </summary>
public sealed class ContactNotices(CitizenDb db, PersonalData personal, IEnumerable<IMessageChannel> channels, TimeProvider time) : IResidentNotices
{
    private readonly bool _sms = channels.Any(c => c.Kind == WebhookDelivery.Sms);
    private readonly bool _email = channels.Any(c => c.Kind == WebhookDelivery.Email);

    /// <summary>Adds the notices of the exposures that have none yet, and queues their messages; returns how many.</summary>
    internal async Task<int> TellAsync(IReadOnlyList<Exposure> exposures, ExposureRules rules, IReadOnlyDictionary<long, TracedPlace> places, CancellationToken cancellationToken)
    {
        var known = exposures.Where(e => e.Id != 0).Select(e => e.Id).ToList();
        var told = (await db.Set<ContactNotice>().Where(n => known.Contains(n.ExposureId)).Select(n => n.ExposureId).ToListAsync(cancellationToken)).ToHashSet();
        var now = time.GetUtcNow();
        var added = 0;
        var untold = exposures.Where(e => e.Id == 0 || !told.Contains(e.Id)).ToList();
        var emails = _email ? await EmailCheckInsAsync(untold.Select(e => e.PersonHash), cancellationToken) : [];
        foreach (var exposure in untold)
        {
            var exposedOn = CityTime.DayOf(exposure.To);
            var notice = new ContactNotice
            {
                Key = Guid.CreateVersion7(now),
                Exposure = exposure,
                PersonHash = exposure.PersonHash,
                ContactCheckInId = exposure.ContactCheckInId,
                EmailCheckInId = emails.TryGetValue(Convert.ToBase64String(exposure.PersonHash), out var email) ? email : null,
                Generation = exposure.Generation,
                ExposedOn = exposedOn,
                Until = exposedOn.AddDays(rules.QuarantineDaysFor(exposure.Generation)),
                CreatedAt = now,
                BySms = _sms,
            };
            notice.ByEmail = notice.EmailCheckInId is not null;
            db.Add(notice);
            var where = $"{places[exposure.VenueId].Name}, {Local(exposure.From):HH:mm}–{Local(exposure.To):HH:mm}";
            var key = exposure.Generation == 1 ? "NoticeF1Message" : "NoticeF2Message";
            var text = SharedResource.Bilingual(key, Day(exposedOn), where, Day(notice.Until));
            if (notice.BySms)
            {
                db.Add(WebhookOutbox.Sms(notice.Recipient("sms"), text, now, "exposure-notice"));
            }

            if (notice.ByEmail)
            {
                var subject = SharedResource.Bilingual("NoticeMailSubject").Replace("\n", " / ", StringComparison.Ordinal);
                var mail = new EmailPayload(text + "\n\n" + SharedResource.Bilingual("NoticeMailMore"), null, subject, null, "/my-qr");
                db.Add(WebhookOutbox.Email(notice.Recipient("email"), mail, now, null, "exposure-notice"));
            }

            added++;
        }

        return added;
    }

    /// <summary>
    /// The notices in force for a phone, for the pages: the day and what to do, and nothing of where, when or who
    /// (anyone who types the number sees this; the messages that go to the phone itself say where and when). The
    /// first time a notice is shown is recorded.
    /// </summary>
    public async Task<IReadOnlyList<ResidentNotice>> ForPhoneAsync(string phone, CancellationToken cancellationToken)
    {
        var hash = personal.Hash(phone);
        var today = CityTime.DayOf(time.GetUtcNow());
        var notices = await db.Set<ContactNotice>().Where(n => n.PersonHash == hash && n.Until >= today).ToListAsync(cancellationToken);
        if (notices.Count == 0)
        {
            return [];
        }

        foreach (var unseen in notices.Where(n => n.SeenAt is null))
        {
            unseen.SeenAt = time.GetUtcNow();
        }

        await db.SaveChangesAsync(cancellationToken);
        return [.. notices.OrderBy(n => n.Generation).ThenByDescending(n => n.Until).Take(1).Select(n => new ResidentNotice(n.Generation, n.ExposedOn, n.Until))];
    }

    /// <summary>The latest of each person's check-ins that carries an e-mail, by their hash.</summary>
    private async Task<Dictionary<string, long>> EmailCheckInsAsync(IEnumerable<byte[]> people, CancellationToken cancellationToken) =>
        (await InChunks.ReadAsync(people.DistinctBy(Convert.ToBase64String), hashes => db.Set<CheckIn>().AsNoTracking()
            .Where(c => hashes.Contains(c.PhoneHash) && c.Email != null).Select(c => new { c.PhoneHash, c.At, c.Id }).ToListAsync(cancellationToken)))
        .GroupBy(c => Convert.ToBase64String(c.PhoneHash)).ToDictionary(g => g.Key, g => g.MaxBy(c => c.At)!.Id, StringComparer.Ordinal);

    private static DateTimeOffset Local(DateTimeOffset at) => CityTime.ToLocal(at);

    private static string Day(DateOnly day) => day.ToString("dd/MM/yyyy", CultureInfo.InvariantCulture);
}

/// <summary>Opens the address of a notice's message from the check-in it names: the phone for SMS, the e-mail for e-mail.</summary>
public sealed class ContactNoticeAddresses : IOutboxAddressBook
{
    public string Prefix => ContactNotice.Prefix;

    public async Task<string?> OpenAsync(string recipient, IServiceProvider services, CancellationToken cancellationToken)
    {
        var parts = recipient[Prefix.Length..].Split(':');
        if (parts.Length != 2 || !Guid.TryParseExact(parts[0], "N", out var key))
        {
            return null;
        }

        var db = services.GetRequiredService<CitizenDb>();
        var notice = await db.Set<ContactNotice>().AsNoTracking().Where(n => n.Key == key)
            .Select(n => new { n.ContactCheckInId, n.EmailCheckInId }).SingleOrDefaultAsync(cancellationToken);
        var email = parts[1] == "email";
        var checkInId = email ? notice?.EmailCheckInId : notice?.ContactCheckInId;
        var checkIns = db.Set<CheckIn>().AsNoTracking().Where(c => c.Id == checkInId);
        var sealedAddress = checkInId is null ? null
            : email ? await checkIns.Select(c => c.Email).SingleOrDefaultAsync(cancellationToken)
            : await checkIns.Select(c => c.Phone).SingleOrDefaultAsync(cancellationToken);
        return services.GetRequiredService<PersonalData>().Open(sealedAddress);
    }
}
