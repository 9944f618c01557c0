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

    private readonly Dictionary<string, List<UnitRef>> _next = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<UnitRef>> _previous = new(StringComparer.Ordinal);
    private readonly IReadOnlyDictionary<string, Geometry> _boundaries;

    /// <param name="links">Old unit key → new unit key (whether the old unit went whole or in part is kept in the database; a split is settled by the boundaries).</param>
    /// <param name="units">Every unit, by key.</param>
    /// <param name="boundaries">The exact boundaries, by key, that settle a split.</param>
    /// <param name="parents">Unit key → its parent's key. A unit the mapping does not name (an old district: the mapping
    /// lists wards) went where its units went: Quận Gò Vấp into the communes its wards went into.</param>
    public UnitSuccessions(IEnumerable<(string From, string To)> links, IReadOnlyDictionary<string, UnitRef> units, IReadOnlyDictionary<string, Geometry> boundaries,
        IReadOnlyDictionary<string, string>? parents = null)
    {
        _boundaries = boundaries;
        foreach (var (from, to) in links)
        {
            if (units.TryGetValue(from, out var old) && units.TryGetValue(to, out var successor))
            {
                Add(_next, from, successor);
                Add(_previous, to, old);
            }
        }

        var above = new Dictionary<string, List<UnitRef>>(StringComparer.Ordinal);
        foreach (var (from, successors) in _next)
        {
            if (parents?.GetValueOrDefault(from) is { } parent && !_next.ContainsKey(parent))
            {
                foreach (var successor in successors.Where(s => above.GetValueOrDefault(parent)?.Contains(s) != true))
                {
                    Add(above, parent, successor);
                }
            }
        }

        foreach (var (parent, successors) in above)
        {
            _next[parent] = successors;
        }
    }

    public static UnitSuccessions None { get; } = new([], new Dictionary<string, UnitRef>(), new Dictionary<string, Geometry>());

    public int Count => _previous.Values.Sum(l => l.Count);

    /// <summary>The units an old unit's area went into (one when it went whole, or when it was not split).</summary>
    public IReadOnlyList<UnitRef> Successors(string fromKey) => _next.TryGetValue(fromKey, out var list) ? list : [];

    /// <summary>The old units whose area (whole or in part) went into a unit.</summary>
    public IReadOnlyList<UnitRef> Predecessors(string toKey) => _previous.TryGetValue(toKey, out var list) ? list : [];

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

    private static void Add(Dictionary<string, List<UnitRef>> map, string key, UnitRef unit)
    {
        if (!map.TryGetValue(key, out var list))
        {
            map[key] = list = [];
        }

        list.Add(unit);
    }
}
