using NetTopologySuite.Geometries;

namespace CitizenSensor.Features.Jurisdictions;

/// <summary>
/// Which later units an old unit's area went into, from the reform's mapping (ADR 0011): Phường Trúc Bạch (2021) went
/// whole into Phường Ba Đình; Phường Đa Kao was split between Phường Sài Gòn and Phường Tân Định. A split is settled by
/// the boundaries when a point is known; without one it stays a list for a person.
/// </summary>
public sealed class UnitSuccessions
{
    private static readonly GeometryFactory Wgs84 = new(new PrecisionModel(), 4326);

    private readonly Dictionary<string, List<(UnitRef Unit, bool Whole)>> _next = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<(UnitRef Unit, bool Whole)>> _previous = new(StringComparer.Ordinal);
    private readonly IReadOnlyDictionary<string, Geometry> _boundaries;

    public UnitSuccessions(IEnumerable<(string From, string To, bool Whole)> links, IReadOnlyDictionary<string, UnitRef> units, IReadOnlyDictionary<string, Geometry> boundaries)
    {
        _boundaries = boundaries;
        foreach (var (from, to, whole) in links)
        {
            if (units.TryGetValue(from, out var old) && units.TryGetValue(to, out var successor))
            {
                Add(_next, from, successor, whole);
                Add(_previous, to, old, whole);
            }
        }
    }

    public static UnitSuccessions None { get; } = new([], new Dictionary<string, UnitRef>(), new Dictionary<string, Geometry>());

    public int Count => _next.Values.Sum(l => l.Count);

    /// <summary>The units an old unit's area went into (one when it went whole, or when it was not split).</summary>
    public IReadOnlyList<UnitRef> Successors(string fromKey) =>
        _next.TryGetValue(fromKey, out var list) ? [.. list.Select(l => l.Unit)] : [];

    /// <summary>The old units whose area went into a unit; with <paramref name="wholeOnly"/>, only those that went into it whole.</summary>
    public IReadOnlyList<UnitRef> Predecessors(string toKey, bool wholeOnly) =>
        _previous.TryGetValue(toKey, out var list) ? [.. list.Where(l => l.Whole || !wholeOnly).Select(l => l.Unit)] : [];

    /// <summary>
    /// The one unit an old unit's area (at the point, when one is given) went into, or null with the candidates when
    /// the old unit was split and no point settles it.
    /// </summary>
    public (UnitRef? Unit, IReadOnlyList<UnitRef> Candidates) SuccessorOf(string fromKey, double? latitude = null, double? longitude = null)
    {
        var successors = Successors(fromKey);
        if (successors.Count <= 1)
        {
            return (successors.Count == 1 ? successors[0] : null, successors);
        }

        if (latitude is { } lat && longitude is { } lng)
        {
            var point = Wgs84.CreatePoint(new Coordinate(lng, lat));
            var inside = successors.Where(s => _boundaries.TryGetValue(s.Code, out var boundary) && boundary.Covers(point)).ToList();
            if (inside.Count == 1)
            {
                return (inside[0], successors);
            }
        }

        return (null, successors);
    }

    private static void Add(Dictionary<string, List<(UnitRef, bool)>> map, string key, UnitRef unit, bool whole)
    {
        if (!map.TryGetValue(key, out var list))
        {
            map[key] = list = [];
        }

        list.Add((unit, whole));
    }
}
