using System.Buffers.Binary;
using System.Buffers.Text;
using System.Security.Cryptography;
using CitizenSensor.Data;
using CitizenSensor.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace CitizenSensor.Features.Venues;

/// <summary>
/// Leaving a venue, for the person who checked in only: the check-in answers with a receipt (the check-in's time and a
/// keyed MAC over venue, phone and time, under the personal-data key), the device keeps it, and the check-out needs it.
/// Without the right receipt every answer is the same "nothing to close", so a phone number and a poster's code tell
/// nobody whether that person is there, or since when. One rule for the API and the check-in page.
/// </summary>
public sealed class CheckOuts(CitizenDb db, CheckInDesk desk, TimeProvider time)
{
    private const int MacBytes = 16;

    /// <summary>The receipt for a check-in (the stored one's time may differ by the minute a duplicate shares).</summary>
    public static string Receipt(PersonalData protection, long venueId, byte[] phoneHash, DateTimeOffset at)
    {
        var bytes = new byte[8 + MacBytes];
        BinaryPrimitives.WriteInt64BigEndian(bytes, at.UtcTicks);
        Mac(protection, venueId, phoneHash, at.UtcTicks).AsSpan(0, MacBytes).CopyTo(bytes.AsSpan(8));
        return Base64Url.EncodeToString(bytes);
    }

    public async Task<Outcome<CheckInAccepted>> CheckOutAsync(CheckOutRequest request, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var errors = new Dictionary<string, string[]>();
        var phone = PhoneNumbers.Normalize(request.Phone);
        if (phone is null)
        {
            errors["phone"] = [CheckInDesk.PhoneProblem];
        }

        var at = request.At ?? now;
        if (at > now + CheckInDesk.ClockSkew)
        {
            errors["at"] = ["'at' is in the future."];
        }

        if (string.IsNullOrWhiteSpace(request.Receipt))
        {
            errors["receipt"] = ["'receipt' is required: the value the check-in answered with."];
        }

        var venue = await desk.Directory.FindAsync(request.VenueCode, cancellationToken);
        if (venue is null)
        {
            errors["venueCode"] = [$"There is no venue '{PlainText.Shorten(request.VenueCode ?? "", 20)}'."];
        }

        if (errors.Count > 0)
        {
            return Outcome.Invalid<CheckInAccepted>(errors);
        }

        var hash = desk.Protection.Hash(phone!);
        if (Verify(desk.Protection, venue!.Id, hash, request.Receipt!) is not { } checkedIn || checkedIn > at)
        {
            return Nothing();
        }

        var checkIn = await db.Set<CheckIn>()
            .Where(c => c.VenueId == venue.Id && c.PhoneHash == hash && c.CheckOutAt == null
                && c.At >= checkedIn.AddMinutes(-1) && c.At <= checkedIn.AddMinutes(1) && c.At >= at.AddHours(-24))
            .OrderByDescending(c => c.At).FirstOrDefaultAsync(cancellationToken);
        if (checkIn is null)
        {
            return Nothing();
        }

        checkIn.CheckOutAt = at;
        await db.SaveChangesAsync(cancellationToken);
        return Outcome.Done(new CheckInAccepted(venue.Code, venue.Name, checkIn.At, Duplicate: false));
    }

    /// <summary>The check-in time the receipt vouches for, when it was made for this venue and phone.</summary>
    private static DateTimeOffset? Verify(PersonalData protection, long venueId, byte[] phoneHash, string receipt)
    {
        var bytes = new byte[8 + MacBytes];
        if (receipt.Length > 64 || !Base64Url.IsValid(receipt.Trim()) || Base64Url.DecodeFromChars(receipt.Trim(), bytes) != bytes.Length)
        {
            return null;
        }

        var ticks = BinaryPrimitives.ReadInt64BigEndian(bytes);
        if (ticks < DateTimeOffset.MinValue.UtcTicks || ticks > DateTimeOffset.MaxValue.UtcTicks)
        {
            return null;
        }

        var expected = Mac(protection, venueId, phoneHash, ticks).AsSpan(0, MacBytes);
        return CryptographicOperations.FixedTimeEquals(expected, bytes.AsSpan(8)) ? new DateTimeOffset(ticks, TimeSpan.Zero) : null;
    }

    private static byte[] Mac(PersonalData protection, long venueId, byte[] phoneHash, long ticks) =>
        protection.Hash($"check-in receipt|{venueId}|{Convert.ToHexString(phoneHash)}|{ticks}");

    private static Outcome<CheckInAccepted> Nothing() =>
        new Outcome<CheckInAccepted>.NotFound("No open check-in at this venue matches this phone and receipt in the last 24 hours.");
}
