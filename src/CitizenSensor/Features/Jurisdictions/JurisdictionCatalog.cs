using CitizenSensor.Data;
using Microsoft.EntityFrameworkCore;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;
using NetTopologySuite.Simplify;

namespace CitizenSensor.Features.Jurisdictions;

/// <summary>A unit set as the in-memory structures need it.</summary>
public sealed record UnitSetInfo(string Id, string Name, DateOnly? ValidFrom, DateOnly? ValidTo, int HandlingDepth)
{
    public bool ValidOn(DateOnly day) => UnitSet.Covers(ValidFrom, ValidTo, day);
}

/// <summary>One set's structures: its point index, its address matcher and the cities a map can show (ADR 0011).</summary>
/// <param name="Set">The set, with its dates and handling depth.</param>
/// <param name="Points">Point → unit resolution over the set's units that handle reports.</param>
/// <param name="Addresses">Address → unit matching over every unit of the set.</param>
/// <param name="Cities">The set's top units whose children have boundaries, by code.</param>
public sealed record UnitSetView(UnitSetInfo Set, UnitIndex Points, AddressMatcher Addresses, IReadOnlyList<UnitRef> Cities)
{
    /// <summary>The cities' boundary maps (<see cref="JurisdictionCatalog.Snapshot.MapUrl"/>), comma-separated, for a map's data-geojson.</summary>
    public string CityMapUrls => string.Join(',', Cities.Select(JurisdictionCatalog.Snapshot.MapUrl));
}

/// <summary>
/// The units held in memory for the hot paths, per unit set: the point index, the address matcher and simplified
/// boundaries for maps. Loaded once from the database on first use and again after an import (<see cref="Reset"/>).
/// Every look-up names a day (a record's time, or today) and gets the set valid on it.
/// </summary>
public sealed partial class JurisdictionCatalog(IServiceScopeFactory scopes, TimeProvider time, ILogger<JurisdictionCatalog> logger)
{
    // About 30 m at the equator: invisible at city zoom, and it shrinks the map data several times over.
    private const double MapTolerance = 0.0003;

    private readonly Lock _gate = new();
    private Task<Snapshot>? _snapshot;

    /// <param name="Sets">Each set's structures, oldest first.</param>
    /// <param name="MapBoundaries">Each unit's boundary, simplified for drawing, by key.</param>
    /// <param name="Successions">Old unit key → the units of the next set its area went into.</param>
    public sealed record Snapshot(IReadOnlyList<UnitSetView> Sets, IReadOnlyDictionary<string, Geometry> MapBoundaries, UnitSuccessions Successions)
    {
        /// <summary>The set valid on the day; before the first set's start the first, after the last one's end the last.</summary>
        public UnitSetView At(DateOnly day) =>
            Sets.FirstOrDefault(s => s.Set.ValidOn(day))
            ?? (Sets.Count > 0 && Sets[0].Set.ValidFrom > day ? Sets[0] : Sets.Count > 0 ? Sets[^1] : null)
            ?? Empty;

        public UnitSetView At(DateTimeOffset instant) => At(Infrastructure.CityTime.DayOf(instant));

        /// <summary>The set with this id ("2021", "2025"), or null when there is none.</summary>
        public UnitSetView? ById(string id) => Sets.FirstOrDefault(s => s.Set.Id == id);

        /// <summary>
        /// The units an address names, in the set valid on the day. An address written in an earlier set's units
        /// ("phường Trúc Bạch, quận Ba Đình") matches the unit its area went into, and says which old unit it named
        /// (<see cref="AddressMatch.Named"/>); an old unit that was split is ambiguous, with its successors as candidates.
        /// An address that names a unit of the day stays with it ("phường Thanh Xuân" is not the old "Phường Thạnh Xuân"),
        /// unless that is only an old unit's name again ("Q. Cầu Giấy" is not Phường Cầu Giấy).
        /// </summary>
        public AddressMatch MatchAddress(string? text, DateOnly day)
        {
            var current = At(day);
            var match = current.Addresses.Match(text);
            foreach (var older in Sets.TakeWhile(s => s != current).Reverse())
            {
                var old = older.Addresses.Match(text);
                if (!old.Matched || (match.Matched && !Echoes(match, old)))
                {
                    continue;
                }

                var named = old.Ward ?? old.District!;
                var (successor, candidates) = Successions.SuccessorOf(named.Code);
                if (successor is not null && successor.SetId == current.Set.Id)
                {
                    return new AddressMatch(current.Addresses.TopOf(successor), successor, null, null) { Named = named };
                }

                var reason = candidates.Count > 1
                    ? $"{named.Name} (units of {older.Set.Id}) now lies in several units ({string.Join(", ", candidates.Select(c => c.Name))}); the address must name today's unit, or the report a point."
                    : $"{named.Name} (units of {older.Set.Id}) no longer exists, and the units it went into are not known here; name today's unit.";
                return new AddressMatch(match.Province ?? old.Province, null, null, reason) { Named = named, Candidates = [.. candidates.Select(c => c.Name)] };
            }

            return match;
        }

        /// <summary>
        /// Whether today's match only repeats the name of an old unit in an address written the old way (one that names
        /// its old handling unit): "phường Quan Hoa, quận Cầu Giấy" is not today's Phường Cầu Giấy.
        /// </summary>
        private static bool Echoes(AddressMatch today, AddressMatch old)
        {
            var key = AddressMatcher.KeyOf(today.District!);
            return old.NamesHandlingUnit
                && (key == AddressMatcher.KeyOf(old.District!) || (old.Ward is not null && key == AddressMatcher.KeyOf(old.Ward)));
        }

        /// <summary>
        /// The unit of <paramref name="target"/>'s set that stands for a record placed in other units (a 2021 report in
        /// Quận 1, Phường Bến Nghé, shown in today's communes): the record's own unit when it is already of that set; else
        /// the unit at its point, by the exact boundaries; else the unit its ward (or its unit) went into by the mapping,
        /// a split settled by the point. Null when nothing settles it (a split ward and no point).
        /// </summary>
        public UnitRef? HandlingUnitIn(UnitSetView target, string? unitKey, string? wardKey, double? latitude, double? longitude)
        {
            if (unitKey is not null && target.Addresses.Find(unitKey) is { } same)
            {
                return same;
            }

            if (latitude is { } lat && longitude is { } lng && target.Points.Resolve(lat, lng) is { Unit: { } there })
            {
                return there;
            }

            foreach (var key in (string?[])[wardKey, unitKey])
            {
                if (key is null)
                {
                    continue;
                }

                var (successor, candidates) = Successions.SuccessorOf(key, latitude, longitude);
                if (successor is not null && target.Addresses.Find(successor.Code) is not null)
                {
                    return target.Addresses.LineOf(successor).FirstOrDefault(u => u.Level == target.Set.HandlingDepth) ?? successor;
                }

                if (candidates.Count > 1)
                {
                    return null; // a ward that was split is not guessed from its district either
                }
            }

            return null;
        }

        /// <summary>The boundaries of a unit's children, as a map draws them (<c>GET /api/v1/units/{code}/map?set=</c>).</summary>
        public static string MapUrl(UnitRef unit) => $"/api/v1/units/{Uri.EscapeDataString(unit.GsoCode)}/map?set={Uri.EscapeDataString(unit.SetId)}";

        private static readonly UnitSetView Empty = new(new UnitSetInfo("", "", null, null, 0), UnitIndex.Empty, new AddressMatcher([]), []);
    }

    /// <summary>A unit as the in-memory structures need it (keys for the unit and its parent).</summary>
    public sealed record UnitRow(UnitRef Unit, string? ParentCode, Geometry? Boundary);

    /// <summary>Builds the in-memory structures from sets and their units (the database's, or files' in the benchmarks).</summary>
    public static Snapshot Build(IReadOnlyList<UnitSetInfo> sets, IReadOnlyList<UnitRow> rows, IReadOnlyList<(string From, string To)> successions)
    {
        var views = sets.OrderBy(s => s.ValidFrom ?? DateOnly.MinValue)
            .Select(set => BuildSet(set, [.. rows.Where(r => r.Unit.SetId == set.Id)]))
            .ToList();
        var exact = rows.Where(r => r.Boundary is not null).ToDictionary(r => r.Unit.Code, r => r.Boundary!, StringComparer.Ordinal);
        var map = exact.ToDictionary(b => b.Key, b => TopologyPreservingSimplifier.Simplify(b.Value, MapTolerance), StringComparer.Ordinal);
        var byKey = rows.ToDictionary(r => r.Unit.Code, r => r.Unit, StringComparer.Ordinal);
        var parents = rows.Where(r => r.ParentCode is not null).ToDictionary(r => r.Unit.Code, r => r.ParentCode!, StringComparer.Ordinal);
        return new Snapshot(views, map, new UnitSuccessions(successions, byKey, exact, parents));
    }

    private static UnitSetView BuildSet(UnitSetInfo set, IReadOnlyList<UnitRow> rows)
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
        var index = UnitIndex.Build(withBoundary.Select(r => new UnitArea(r.Unit, ProvinceOf(r), r.Boundary!)), set.HandlingDepth);
        var matcher = new AddressMatcher(rows.Select(r => (r.Unit, r.ParentCode)), set.HandlingDepth);
        var drawn = withBoundary.Select(r => r.ParentCode).OfType<string>().ToHashSet(StringComparer.Ordinal);
        var cities = rows.Where(r => r.ParentCode is null && drawn.Contains(r.Unit.Code)).Select(r => r.Unit).OrderBy(u => u.Code, StringComparer.Ordinal).ToList();
        return new UnitSetView(set, index, matcher, cities);
    }

    public Task<Snapshot> GetAsync()
    {
        lock (_gate)
        {
            return _snapshot ??= LoadAsync();
        }
    }

    /// <summary>The set valid today (in the city's calendar).</summary>
    public async Task<UnitSetView> TodayAsync() => (await GetAsync()).At(time.GetUtcNow());

    public void Reset()
    {
        lock (_gate)
        {
            _snapshot = null;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Jurisdictions loaded: {Sets} unit sets, {Units} units, {Areas} indexed boundaries")]
    private static partial void LogLoaded(ILogger logger, int sets, int units, int areas);

    private async Task<Snapshot> LoadAsync()
    {
        await Task.Yield(); // run outside the caller's lock
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<CitizenDb>();
            var reader = new WKBReader();
            var sets = await db.UnitSets.AsNoTracking()
                .Select(s => new UnitSetInfo(s.Id, s.Name, s.ValidFrom, s.ValidTo, s.HandlingDepth))
                .ToListAsync();
            var rows = (await db.Units.IgnoreQueryFilters().AsNoTracking()
                    .Select(u => new { u.Code, u.GsoCode, u.SetId, u.Name, u.Type, u.Level, u.ParentCode, u.Boundary })
                    .ToListAsync())
                .Select(r => new UnitRow(new UnitRef(r.Code, r.Name, r.Type, r.Level, r.GsoCode, r.SetId), r.ParentCode, r.Boundary is null ? null : reader.Read(r.Boundary)))
                .ToList();
            var successions = (await db.UnitSuccessions.AsNoTracking().Select(s => new { s.FromKey, s.ToKey }).ToListAsync())
                .Select(s => (s.FromKey, s.ToKey)).ToList();
            var snapshot = Build(sets, rows, successions);
            var areas = 0;
            foreach (var view in snapshot.Sets)
            {
                areas += view.Points.UnitCount;
            }

            LogLoaded(logger, sets.Count, rows.Count, areas);
            return snapshot;
        }
        catch
        {
            Reset(); // let the next caller try again instead of caching the failure
            throw;
        }
    }
}
