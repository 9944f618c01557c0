using CitizenSensor.Data;
using CitizenSensor.Features.Jurisdictions;
using CitizenSensor.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace CitizenSensor.Features.Venues;

/// <summary>A venue as registered or edited. On edit, a field left out (null) keeps its value.</summary>
public sealed record VenueRequest(string? Name, string? Kind, string? Address, string? WardCode, double? Lat, double? Lng, string? OwnerName, string? OwnerPhone);

/// <summary>A ward (a unit with no units below it) and its district.</summary>
public sealed record WardRef(string Code, string Name, string Path, string DistrictCode, string DistrictName);

/// <summary>The venue rules, for the API and the pages alike. Each problem is reported against its field.</summary>
public static class VenueRules
{
    public const int MaxName = 200;
    public const int MaxAddress = 500;
    public const int MaxOwnerName = 100;

    /// <summary>Checks a registration (<paramref name="existing"/> null) or an edit, and applies it to a venue.</summary>
    public static async Task<(Venue? Venue, Dictionary<string, string[]> Errors)> ApplyAsync(
        VenueRequest request, Venue? existing, CitizenDb db, JurisdictionCatalog catalog, PersonalData personal, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var creating = existing is null;
        var name = Text("name", request.Name, MaxName, required: creating, errors);
        var address = Text("address", request.Address, MaxAddress, required: creating, errors);
        var ownerName = Text("ownerName", request.OwnerName, MaxOwnerName, required: creating, errors);
        if (request.Kind is not null || creating)
        {
            if (request.Kind is null || !VenueKinds.All.Contains(request.Kind))
            {
                errors["kind"] = [$"'kind' must be one of: {string.Join(", ", VenueKinds.All)}."];
            }
        }

        string? ownerPhone = null;
        if (request.OwnerPhone is not null || creating)
        {
            ownerPhone = PhoneNumbers.Normalize(request.OwnerPhone);
            if (ownerPhone is null)
            {
                errors["ownerPhone"] = [PhoneNumbers.Problem("ownerPhone")];
            }
        }

        WardRef? ward = null;
        if (request.WardCode is not null || creating)
        {
            // Unit codes are letters and digits (a key adds "@" and its set): anything else names no ward and is not looked up.
            ward = string.IsNullOrWhiteSpace(request.WardCode) || !request.WardCode.Trim().All(c => char.IsAsciiLetterOrDigit(c) || c == '@')
                ? null
                : await FindWardAsync(db, (await catalog.TodayAsync()).Set, request.WardCode.Trim(), cancellationToken);
            if (ward is null)
            {
                errors["wardCode"] = [string.IsNullOrWhiteSpace(request.WardCode)
                    ? "'wardCode' is required: choose the ward from the list (GET /api/v1/units?q=…)."
                    : $"There is no ward '{PlainText.Shorten(request.WardCode.Trim(), 20)}' (in your units)."];
            }
        }

        if (request.Lat is null != request.Lng is null)
        {
            errors[request.Lat is null ? "lat" : "lng"] = ["'lat' and 'lng' go together: give both or neither."];
        }
        else if (request.Lat is { } lat && request.Lng is { } lng)
        {
            if (!double.IsFinite(lat) || Math.Abs(lat) > 90)
            {
                errors["lat"] = ["'lat' must be between -90 and 90."];
            }
            else if (!double.IsFinite(lng) || Math.Abs(lng) > 180)
            {
                errors["lng"] = ["'lng' must be between -180 and 180."];
            }
            else if ((ward?.DistrictCode ?? existing?.DistrictCode) is { } district)
            {
                var resolved = (await catalog.TodayAsync()).Points.Resolve(lat, lng);
                if (resolved.Unit is { } unit && unit.Code != district)
                {
                    errors["lat"] = [$"The map pin is in {unit.Name}, not in the ward's district: move the pin or choose the ward again."];
                }
            }
        }

        if (errors.Count > 0)
        {
            return (null, errors);
        }

        var venue = existing ?? new Venue
        {
            Code = Venue.NewCode(),
            Name = name!,
            Kind = request.Kind!,
            Address = address!,
            WardCode = ward!.Code,
            DistrictCode = ward.DistrictCode,
            UnitPath = ward.Path,
            ManageKeyHash = [],
            CreatedBy = "owner",
        };
        venue.Name = name ?? venue.Name;
        venue.Kind = request.Kind ?? venue.Kind;
        venue.Address = address ?? venue.Address;
        venue.SealOwner(personal, ownerName, ownerPhone);
        if (ward is not null)
        {
            (venue.WardCode, venue.DistrictCode, venue.UnitPath) = (ward.Code, ward.DistrictCode, ward.Path);
        }

        venue.SearchText = VietnameseText.Fold(venue.Name + " " + venue.Address);
        if (request.Lat is not null)
        {
            (venue.Lat, venue.Lng) = (Math.Round(request.Lat.Value, 6), Math.Round(request.Lng!.Value, 6));
        }

        return (venue, errors);
    }

    /// <summary>A ward named by its code in today's units, within the current unit scope (officers register only in their own units).</summary>
    public static async Task<WardRef?> FindWardAsync(CitizenDb db, UnitSetInfo set, string code, CancellationToken cancellationToken) =>
        Ref(await WardInfo.NamedAsync(db.Units, db, set, code, cancellationToken));

    /// <summary>A stored venue's ward, by its key.</summary>
    public static async Task<WardRef?> StoredWardAsync(CitizenDb db, string key, CancellationToken cancellationToken) =>
        Ref(await WardInfo.ByKeyAsync(db.Units, db, key, cancellationToken));

    private static WardRef? Ref(WardInfo? ward) => ward is null ? null : new WardRef(ward.Code, ward.Name, ward.UnitPath, ward.DistrictCode, ward.DistrictName);

    internal static string? Text(string field, string? value, int max, bool required, Dictionary<string, string[]> errors)
    {
        var text = value?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            if (required || value is not null)
            {
                errors[field] = [$"'{field}' is required."];
            }

            return null;
        }

        if (text.Length > max)
        {
            errors[field] = [$"'{field}' must be at most {max} characters (got {text.Length})."];
            return null;
        }

        PlainText.Check(field, text, errors);
        return text;
    }
}
