using CitizenSensor.Features.Jurisdictions;

namespace CitizenSensor.Features.Reports;

/// <summary>Where a report goes: the unit that handles it (a district, or a commune after 2025) and the ward inside it when known, or a person with the reason why not (<see cref="TriageReasons"/>).</summary>
public sealed record RoutingDecision(UnitRef? Province, UnitRef? District, UnitRef? Ward, string? TriageReason)
{
    public bool Routed => District is not null && TriageReason is null;
}

/// <summary>
/// Routing by location: the point first (the resolver), else the address text, else a person. Never a guess:
/// a point outside every city is flagged, and a point and an address that disagree go to triage.
/// </summary>
public static class ReportRouter
{
    /// <summary>Where a report of the given day goes, in the units valid that day (ADR 0011).</summary>
    public static RoutingDecision Decide(JurisdictionCatalog.Snapshot catalog, DateOnly day, double? latitude, double? longitude, string? address)
    {
        var text = string.IsNullOrWhiteSpace(address) ? null : catalog.MatchAddress(address, day);
        if (latitude is { } lat && longitude is { } lng)
        {
            var point = catalog.At(day).Points.Resolve(lat, lng);
            if (point.Resolved)
            {
                var ward = text?.District?.Code == point.Unit!.Code ? text.Ward : null;
                return new RoutingDecision(point.Province, point.Unit, ward, null);
            }

            if (point.Failure == ResolutionFailure.OutsideEveryCity)
            {
                return new RoutingDecision(null, null, null, TriageReasons.OutsideEveryCity());
            }

            // In a gap between district polygons or on a border: the address may settle it, inside the same city.
            if (text is { Matched: true } && text.Province?.Code == point.Province?.Code)
            {
                return new RoutingDecision(text.Province, text.District, text.Ward, null);
            }

            return new RoutingDecision(point.Province, null, null, point.Failure == ResolutionFailure.Ambiguous
                ? TriageReasons.Ambiguous(point.Candidates.Select(u => u.Name))
                : TriageReasons.InNoUnit(point.Province?.Name ?? ""));
        }

        if (text is { Matched: true })
        {
            return new RoutingDecision(text.Province, text.District, text.Ward, null);
        }

        return new RoutingDecision(text?.Province, null, null, text is null ? TriageReasons.NoLocation()
            : text.Candidates.Count > 1 ? TriageReasons.AddressAmbiguous(text.Candidates)
            : TriageReasons.AddressNotMatched(text.Province?.Name));
    }
}
