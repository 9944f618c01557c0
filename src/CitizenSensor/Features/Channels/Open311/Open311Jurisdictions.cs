using CitizenSensor.Features.Jurisdictions;
using CitizenSensor.Features.Reports;

namespace CitizenSensor.Features.Channels.Open311;

/// <summary>
/// The <c>jurisdiction_id</c>s this server answers for, one per city (<see cref="Open311Options.Jurisdictions"/>), and
/// whether a point lies in a jurisdiction's city (by the unit boundaries the reports are routed with).
/// </summary>
public sealed class Open311Jurisdictions(Open311Options options, JurisdictionCatalog catalog, TimeProvider time)
{
    /// <summary>The jurisdictions in use (id → city unit code), ordered by id.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> All { get; } =
        [.. options.Jurisdictions.Where(j => !string.IsNullOrWhiteSpace(j.Value)).OrderBy(j => j.Key, StringComparer.Ordinal)];

    /// <summary>The city unit code of a jurisdiction_id, or null when this server does not serve it.</summary>
    public string? CityOf(string jurisdictionId) =>
        All.FirstOrDefault(j => string.Equals(j.Key, jurisdictionId, StringComparison.OrdinalIgnoreCase)).Value;

    /// <summary>Whether the point lies in the city whose GSO code is given, as the city is today.</summary>
    public async Task<bool> ContainsAsync(string cityCode, double latitude, double longitude)
    {
        var decision = ReportRouter.Decide(await catalog.GetAsync(), Infrastructure.CityTime.DayOf(time.GetUtcNow()), latitude, longitude, address: null);
        return decision.Province?.GsoCode == cityCode;
    }
}
