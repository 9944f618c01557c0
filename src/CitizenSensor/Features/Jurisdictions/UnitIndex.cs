using NetTopologySuite.Algorithm.Locate;
using NetTopologySuite.Geometries;
using NetTopologySuite.Index.Strtree;

namespace CitizenSensor.Features.Jurisdictions;

/// <summary>A unit as look-ups answer it: its key (<see cref="HandlingUnit.Code"/>), name, type, depth in its set, GSO code and set.</summary>
public sealed record UnitRef(string Code, string Name, string Type, int Level, string GsoCode, string SetId);

public enum ResolutionFailure
{
    None,

    /// <summary>Inside no loaded city.</summary>
    OutsideEveryCity,

    /// <summary>Inside a city's outline but in none of its unit polygons (gaps and slivers in the real data).</summary>
    InNoUnit,

    /// <summary>On the shared border of two or more units, or in an overlap: a person must decide.</summary>
    Ambiguous,
}

public sealed record PointResolution(UnitRef? Province, UnitRef? Unit, ResolutionFailure Failure, string? Reason)
{
    public bool Resolved => Unit is not null;

    /// <summary>When <see cref="ResolutionFailure.Ambiguous"/>: the units the point may belong to.</summary>
    public IReadOnlyList<UnitRef> Candidates { get; init; } = [];
}

/// <summary>A unit with a boundary, ready to be indexed.</summary>
public sealed record UnitArea(UnitRef Unit, UnitRef? Province, Geometry Boundary);

/// <summary>
/// Point → unit resolution. Boundaries are indexed once (an STR-tree over envelopes, an indexed point-in-area
/// locator per polygon); a lookup touches only the few polygons whose envelope holds the point.
/// It answers "I don't know" rather than guess: a point in a gap, on a border or outside every city gets a reason.
/// </summary>
public sealed class UnitIndex
{
    private readonly STRtree<Entry> _units = new();
    private readonly STRtree<Entry> _provinces = new();
    private readonly string _cityNames;

    private UnitIndex(IReadOnlyCollection<UnitArea> provinces, IReadOnlyCollection<UnitArea> units)
    {
        foreach (var area in provinces)
        {
            Add(_provinces, area);
        }

        foreach (var area in units)
        {
            Add(_units, area);
        }

        _provinces.Build();
        _units.Build();
        _cityNames = provinces.Count == 0 ? "none" : string.Join(", ", provinces.Select(p => p.Unit.Name).Order(StringComparer.Ordinal));
        UnitCount = units.Count;
    }

    public int UnitCount { get; }

    public static UnitIndex Empty { get; } = new([], []);

    /// <summary>
    /// Builds the index: the top units (those in no province) give the cities' outlines; units are those at the set's
    /// handling depth (districts in 2021, communes in 2025), whose boundaries a point falls in.
    /// </summary>
    public static UnitIndex Build(IEnumerable<UnitArea> areas, int handlingDepth)
    {
        var all = areas.ToList();
        var provinces = all.Where(a => a.Province is null).ToList();
        return new UnitIndex(provinces, all.Where(a => a.Province is not null && a.Unit.Level == handlingDepth).ToList());
    }

    public PointResolution Resolve(double latitude, double longitude)
    {
        var point = new Coordinate(longitude, latitude);
        var envelope = new Envelope(point);
        Entry? found = null;
        List<Entry>? extra = null;
        foreach (var entry in _units.Query(envelope))
        {
            if (entry.Locate(point) == Location.Exterior)
            {
                continue;
            }

            if (found is null)
            {
                found = entry;
            }
            else if (found.Area.Unit.Code != entry.Area.Unit.Code && extra?.Exists(e => e.Area.Unit.Code == entry.Area.Unit.Code) != true)
            {
                (extra ??= []).Add(entry);
            }
        }

        if (found is not null && extra is null)
        {
            return new PointResolution(found.Area.Province, found.Area.Unit, ResolutionFailure.None, null);
        }

        if (found is not null)
        {
            var names = string.Join(", ", extra!.Prepend(found).Select(e => e.Area.Unit.Name));
            return new PointResolution(found.Area.Province, null, ResolutionFailure.Ambiguous,
                $"The point lies on the border of {names}; a person has to decide which unit owns it.")
            {
                Candidates = [.. extra!.Prepend(found).Select(e => e.Area.Unit)],
            };
        }

        foreach (var province in _provinces.Query(envelope))
        {
            if (province.Locate(point) != Location.Exterior)
            {
                return new PointResolution(province.Area.Unit, null, ResolutionFailure.InNoUnit,
                    $"The point is inside {province.Area.Unit.Name} but in no unit's boundary (a gap in the boundary data); a person has to route it.");
            }
        }

        return new PointResolution(null, null, ResolutionFailure.OutsideEveryCity,
            $"The point is outside every city this installation serves ({_cityNames}).");
    }

    private static void Add(STRtree<Entry> tree, UnitArea area)
    {
        // One entry per polygon so that a multipolygon's envelope does not cover the sea between its islands.
        for (var i = 0; i < area.Boundary.NumGeometries; i++)
        {
            var part = area.Boundary.GetGeometryN(i);
            var entry = new Entry(area, new IndexedPointInAreaLocator(part));
            entry.Locate(part.Coordinate); // builds the locator's index now, so lookups only read shared state
            tree.Insert(part.EnvelopeInternal, entry);
        }
    }

    private sealed class Entry(UnitArea area, IndexedPointInAreaLocator locator)
    {
        public UnitArea Area { get; } = area;

        public Location Locate(Coordinate point) => locator.Locate(point);
    }
}
