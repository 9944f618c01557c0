using CitizenSensor.Data;
using CitizenSensor.Features.Audit;
using CitizenSensor.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace CitizenSensor.Features.Staff;

/// <summary>
/// Where a unit takes reports (its contact e-mail and phone). The one place these rules live: Admin anywhere, a unit
/// officer in their unit and the units below it; the change is validated before the unit is touched (an ordinary
/// e-mail address, a Vietnamese phone number) and saved with its audit entry, or nothing is.
/// </summary>
public sealed class UnitContacts(CitizenDb db, UnitScope scope, Auditor audit, IStringLocalizer<SharedResource> text)
{
    public const int MaxEmail = 256;

    public const int MaxPhone = 32;

    private static readonly string[] Editors = [StaffRoles.Admin, StaffRoles.UnitOfficer];

    /// <summary>Who may change a unit's contact: Admin and unit officers.</summary>
    public static bool MayEdit(StaffActor actor) => actor.HasAnyRole(Editors);

    /// <summary>
    /// An ordinary address: letters, digits and <c>. _ % + -</c> before the @, a domain of labels after it. No quoted
    /// local parts, comments or IP literals, which mail clients and pages handle badly.
    /// </summary>
    public static bool IsOrdinaryEmail(string email) => EmailAddresses.IsOrdinary(email, MaxEmail);

    public async Task<Outcome<UnitSettings>> SetContactAsync(StaffActor actor, string code, UnitContactRequest request, CancellationToken cancellationToken)
    {
        if (!MayEdit(actor))
        {
            return new Outcome<UnitSettings>.Forbidden(text["Outcome_RoleMayNot"]);
        }

        scope.RestrictTo(actor);
        var unit = await db.Units.SingleOrDefaultAsync(u => u.Code == code, cancellationToken);
        if (unit is null)
        {
            return new Outcome<UnitSettings>.NotFound($"There is no unit '{PlainText.Shorten(code, 40)}' in your units.");
        }

        var email = string.IsNullOrWhiteSpace(request.ContactEmail) ? null : request.ContactEmail.Trim();
        var phone = string.IsNullOrWhiteSpace(request.ContactPhone) ? null : request.ContactPhone.Trim();
        var errors = new Dictionary<string, string[]>();
        if (email is not null && !IsOrdinaryEmail(email))
        {
            errors["contactEmail"] = ["'contactEmail' must be an ordinary e-mail address (letters, digits and . _ % + - before the @), such as tiepnhan@q1.hochiminhcity.gov.vn."];
        }

        if (phone is not null && (phone.Length > MaxPhone || PhoneNumbers.Normalize(phone) is null))
        {
            errors["contactPhone"] = [PhoneNumbers.Problem("contactPhone")];
        }

        if (errors.Count > 0)
        {
            return Outcome.Invalid<UnitSettings>(errors);
        }

        var before = new { unit.ContactEmail, unit.ContactPhone };
        unit.ContactEmail = email;
        unit.ContactPhone = phone;
        audit.Record(actor, "unit.contact", "unit", unit.Code, before, new { unit.ContactEmail, unit.ContactPhone });
        await db.SaveChangesAsync(cancellationToken);
        return Outcome.Done(new UnitSettings(unit.Code, unit.Name, unit.Type, unit.ContactEmail, unit.ContactPhone));
    }
}
