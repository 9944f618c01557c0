using CitizenSensor.Data;
using CitizenSensor.Features.Audit;
using CitizenSensor.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace CitizenSensor.Features.Venues.Compliance;

/// <summary>
/// Links a newly registered venue to the registry business it stands for: same ward, and the owner's phone or the
/// (diacritics-insensitive) name matches. The QR lifts a suspension and withdraws a pending proposal. The caller saves.
/// </summary>
public sealed class BusinessMatcher(CitizenDb db, Auditor audit, PersonalData personal, TimeProvider time)
{
    public async Task<Business?> MatchAsync(Venue venue, CancellationToken cancellationToken)
    {
        var name = VietnameseText.Fold(venue.Name);
        var phone = personal.Decrypt(venue.SealedOwnerPhone);
        // Officers register within their scope, but the business may have been imported by the district: look ward-wide.
        var candidates = await db.Set<Business>().IgnoreQueryFilters()
            .Where(b => b.WardCode == venue.WardCode && b.VenueId == null && (b.Phone == phone || b.SearchName == name))
            .ToListAsync(cancellationToken);
        var business = candidates.OrderByDescending(b => b.Phone == phone).ThenByDescending(b => b.SearchName == name).ThenBy(b => b.Id).FirstOrDefault();
        if (business is null)
        {
            return null;
        }

        var now = time.GetUtcNow();
        business.VenueCode = venue.Code;
        business.Venue = venue;
        business.QrCreatedAt = now;
        business.Version++;
        audit.Record(Staff.StaffActor.System, "qr-created", "business", business.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), null, new { venue = venue.Code });
        if (business.IsSuspended)
        {
            business.SuspensionLiftedAt = now;
            audit.Record(Staff.StaffActor.System, "lift-suspension", "business", business.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), null, new { reason = "QR created", venue = venue.Code });
        }
        else if (business.SuspensionProposedAt is not null && business.SuspendedAt is null)
        {
            business.SuspensionProposedAt = null;
            audit.Record(Staff.StaffActor.System, "withdraw-suspension-proposal", "business", business.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), null, new { reason = "QR created", venue = venue.Code });
        }

        return business;
    }
}
