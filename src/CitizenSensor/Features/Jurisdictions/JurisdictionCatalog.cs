using CitizenSensor.Data;
using Microsoft.EntityFrameworkCore;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;
using NetTopologySuite.Simplify;

namespace CitizenSensor.Features.Jurisdictions;

/// <summary>
/// The units held in memory for the hot paths: the point index, the address matcher and simplified boundaries for
/// maps. Loaded once from the database on first use and again after an import (<see cref="Reset"/>).
/// </summary>
public sealed partial class JurisdictionCatalog(IServiceScopeFactory scopes, ILogger<JurisdictionCatalog> logger)
{
    // About 30 m at the equator: invisible at city zoom, and it shrinks the map data several times over.
    private const double MapTolerance = 0.0003;

    private readonly Lock _gate = new();
    private Task<Snapshot>? _snapshot;

    /// <param name="Points">Point → unit resolution over the units with boundaries.</param>
    /// <param name="Addresses">Address → unit matching over every unit.</param>
    /// <param name="MapBoundaries">Each unit's boundary, simplified for drawing.</param>
    /// <param name="Cities">The top units whose children have boundaries (the cities a map can show), by code.</param>
    public sealed record Snapshot(UnitIndex Points, AddressMatcher Addresses, IReadOnlyDictionary<string, Geometry> MapBoundaries, IReadOnlyList<UnitRef> Cities)
    {
        /// <summary>The cities' boundary maps (<see cref="MapUrl"/>), comma-separated, for a map's data-geojson.</summary>
        public string CityMapUrls => string.Join(',', Cities.Select(c => MapUrl(c.Code)));

        /// <summary>The boundaries of a unit's children, as a map draws them (<c>GET /api/v1/units/{code}/map</c>).</summary>
        public static string MapUrl(string code) => $"/api/v1/units/{Uri.EscapeDataString(code)}/map";
    }

    /// <summary>A unit as the in-memory structures need it.</summary>
    public sealed record UnitRow(UnitRef Unit, string? ParentCode, Geometry? Boundary);

    /// <summary>Builds the in-memory structures from units (the database's, or a file's in the benchmarks).</summary>
    public static Snapshot Build(IReadOnlyList<UnitRow> rows)
    {
        var byCode = rows.ToDictionary(r => r.Unit.Code, StringComparer.Ordinal);
        UnitRef? ProvinceOf(UnitRow row)
        {
            var current = row;
            while (current.ParentCode is { } parent && byCode.TryGetValue(parent, out var up))
            {
                current = up;
            }

            return current == row ? null : current.Unit;
        }

        var withBoundary = rows.Where(r => r.Boundary is not null).ToList();
        var index = UnitIndex.Build(withBoundary.Select(r => new UnitArea(r.Unit, ProvinceOf(r), r.Boundary!)));
        var matcher = new AddressMatcher(rows.Select(r => (r.Unit, r.ParentCode)));
        var map = withBoundary.ToDictionary(r => r.Unit.Code, r => TopologyPreservingSimplifier.Simplify(r.Boundary, MapTolerance), StringComparer.Ordinal);
        var drawn = withBoundary.Select(r => r.ParentCode).OfType<string>().ToHashSet(StringComparer.Ordinal);
        var cities = rows.Where(r => r.ParentCode is null && drawn.Contains(r.Unit.Code)).Select(r => r.Unit).OrderBy(u => u.Code, StringComparer.Ordinal).ToList();
        return new Snapshot(index, matcher, map, cities);
    }

    public Task<Snapshot> GetAsync()
    {
        lock (_gate)
        {
            return _snapshot ??= LoadAsync();
        }
    }

    public void Reset()
    {
        lock (_gate)
        {
            _snapshot = null;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Jurisdictions loaded: {Units} units, {Areas} indexed boundaries")]
    private static partial void LogLoaded(ILogger logger, int units, int areas);

    private async Task<Snapshot> LoadAsync()
    {
        await Task.Yield(); // run outside the caller's lock
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<CitizenDb>();
            var reader = new WKBReader();
            var rows = (await db.Units.IgnoreQueryFilters().AsNoTracking()
                    .Select(u => new { u.Code, u.Name, u.Type, u.Level, u.ParentCode, u.Boundary })
                    .ToListAsync())
                .Select(r => new UnitRow(new UnitRef(r.Code, r.Name, r.Type, r.Level), r.ParentCode, r.Boundary is null ? null : reader.Read(r.Boundary)))
                .ToList();
            var snapshot = Build(rows);
            LogLoaded(logger, rows.Count, snapshot.Points.UnitCount);
            return snapshot;
        }
        catch
        {
            Reset(); // let the next caller try again instead of caching the failure
            throw;
        }
    }
}
