using CitizenSensor.Infrastructure;

namespace CitizenSensor.Features.Jurisdictions;

public sealed record AddressMatch(UnitRef? Province, UnitRef? District, UnitRef? Ward, string? Reason)
{
    public bool Matched => District is not null;
}

/// <summary>
/// Text → unit: finds the ward, district and city named in a free-text address, with or without diacritics and
/// with the usual abbreviations ("P. Bến Nghé, Q.1", "phuong ben nghe quan 1", "Q. Gò Vấp", "TP Thủ Đức").
/// It reports what it is sure of and nothing more: "Phường 15" alone exists in many districts and is not guessed.
/// </summary>
public sealed class AddressMatcher
{
    private const int MaxNameTokens = 6;

    // Type words as people write them, folded, longest first. The value is the unit type they announce.
    private static readonly (string[] Tokens, string Type)[] Markers =
    [
        (["thanh", "pho", "trung", "uong"], "Thành phố Trung ương"),
        (["thanh", "pho"], "Thành phố"),
        (["thi", "xa"], "Thị xã"),
        (["thi", "tran"], "Thị trấn"),
        (["tp"], "Thành phố"),
        (["tx"], "Thị xã"),
        (["tt"], "Thị trấn"),
        (["quan"], "Quận"),
        (["q"], "Quận"),
        (["huyen"], "Huyện"),
        (["h"], "Huyện"),
        (["phuong"], "Phường"),
        (["p"], "Phường"),
        (["f"], "Phường"),
        (["xa"], "Xã"),
        (["tinh"], "Tỉnh"),
    ];

    // Everyday names of the two shipped cities, folded; keyed to their GSO codes.
    private static readonly (string Alias, string Code)[] CityAliases =
    [
        ("ho chi minh", "79"), ("hcm", "79"), ("hcmc", "79"), ("sai gon", "79"), ("saigon", "79"),
        ("ha noi", "01"), ("hanoi", "01"), ("hn", "01"),
    ];

    private readonly Dictionary<string, List<UnitRef>> _byKey = new(StringComparer.Ordinal);
    private readonly Dictionary<string, UnitRef> _byCode = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _parentOf = new(StringComparer.Ordinal);

    public AddressMatcher(IEnumerable<(UnitRef Unit, string? ParentCode)> units)
    {
        foreach (var (unit, parent) in units)
        {
            _byCode[unit.Code] = unit;
            if (parent is not null)
            {
                _parentOf[unit.Code] = parent;
            }

            AddKey(KeyOf(unit), unit);
        }

        foreach (var (alias, code) in CityAliases)
        {
            if (_byCode.TryGetValue(code, out var city))
            {
                AddKey(alias, city);
            }
        }
    }

    /// <summary>The name without its type word, folded: "Quận Gò Vấp" → "go vap", "Phường 15" → "15".</summary>
    public static string KeyOf(UnitRef unit)
    {
        var name = VietnameseText.Fold(unit.Name);
        var type = VietnameseText.Fold(unit.Type);
        return name.StartsWith(type + " ", StringComparison.Ordinal) ? name[(type.Length + 1)..] : name;
    }

    public AddressMatch Match(string? text)
    {
        var tokens = VietnameseText.Tokens(text);
        if (tokens.Length == 0)
        {
            return new AddressMatch(null, null, null, "The address is empty.");
        }

        var mentions = FindMentions(tokens);
        var provinces = mentions.Where(m => m.Unit.Level == 1).Select(m => m.Unit).DistinctBy(u => u.Code).ToList();
        var province = provinces.Count == 1 ? provinces[0] : null;

        var districts = Candidates(mentions, 2, province);
        var wards = Candidates(mentions, 3, province);

        // A ward whose district is also named settles both; otherwise a ward name that is unique settles its district.
        var wardsInNamedDistricts = wards.Where(w => districts.Any(d => d.Code == Parent(w))).ToList();
        UnitRef? ward = wardsInNamedDistricts.Count == 1 ? wardsInNamedDistricts[0]
            : districts.Count == 0 && wards.Count == 1 ? wards[0]
            : null;
        UnitRef? district = ward is not null ? Unit(Parent(ward))
            : districts.Count == 1 ? districts[0]
            : null;

        if (district is null)
        {
            var reason = districts.Count > 1
                ? $"The address names several districts ({string.Join(", ", districts.Select(d => d.Name))})."
                : wards.Count > 1
                    ? $"“{wards[0].Name}” exists in several districts; the address must name the district too."
                    : "No district or ward of the cities served was recognised in the address.";
            return new AddressMatch(province, null, null, reason);
        }

        province ??= Unit(Parent(district));
        if (Parent(district) != province?.Code)
        {
            return new AddressMatch(province, null, null, $"{district.Name} is not in {province?.Name}.");
        }

        return new AddressMatch(province, district, ward, null);
    }

    /// <summary>The units of one level that the text names, inside the named city if it names one.</summary>
    private List<UnitRef> Candidates(List<Mention> mentions, int level, UnitRef? province) => mentions
        .Where(m => m.Unit.Level == level)
        .Where(m => province is null || Ancestors(m.Unit.Code).Contains(province.Code))
        .Select(m => m.Unit)
        .DistinctBy(u => u.Code)
        .ToList();

    /// <summary>Scans the tokens for unit names, longest first; a bare number counts only right after a type word.</summary>
    private List<Mention> FindMentions(string[] tokens)
    {
        var mentions = new List<Mention>();
        var i = 0;
        while (i < tokens.Length)
        {
            var (markerType, markerLength) = MarkerAt(tokens, i);
            var start = i + markerLength;
            var matched = false;
            for (var length = Math.Min(MaxNameTokens, tokens.Length - start); length >= 1 && !matched; length--)
            {
                var key = string.Join(' ', tokens, start, length);
                if (!_byKey.TryGetValue(key, out var units))
                {
                    continue;
                }

                var isNumber = char.IsAsciiDigit(key[0]);
                if (isNumber && markerType is null)
                {
                    continue;
                }

                var typed = markerType is null ? units : units.Where(u => TypeMatches(u, markerType)).ToList();
                if (typed.Count == 0)
                {
                    continue;
                }

                // Without a type word, a name shared by a district and a ward means the district ("Đông Anh").
                if (markerType is null)
                {
                    var top = typed.Min(u => u.Level);
                    typed = typed.Where(u => u.Level == top).ToList();
                }

                mentions.AddRange(typed.Select(u => new Mention(u)));
                i = start + length;
                matched = true;
            }

            if (!matched)
            {
                i++;
            }
        }

        return mentions;
    }

    private static bool TypeMatches(UnitRef unit, string markerType) =>
        unit.Type.StartsWith(markerType, StringComparison.Ordinal)
        || (markerType == "Thành phố" && unit.Level == 1);

    private static (string? Type, int Length) MarkerAt(string[] tokens, int index)
    {
        foreach (var (marker, type) in Markers)
        {
            if (index + marker.Length < tokens.Length && tokens.AsSpan(index, marker.Length).SequenceEqual(marker))
            {
                return (type, marker.Length);
            }
        }

        return (null, 0);
    }

    private void AddKey(string key, UnitRef unit)
    {
        if (key.Length == 0)
        {
            return;
        }

        if (!_byKey.TryGetValue(key, out var list))
        {
            _byKey[key] = list = [];
        }

        list.Add(unit);
    }

    private string? Parent(UnitRef unit) => _parentOf.GetValueOrDefault(unit.Code);

    private UnitRef? Unit(string? code) => code is not null && _byCode.TryGetValue(code, out var unit) ? unit : null;

    private List<string> Ancestors(string code)
    {
        var result = new List<string>();
        for (var current = _parentOf.GetValueOrDefault(code); current is not null; current = _parentOf.GetValueOrDefault(current))
        {
            result.Add(current);
        }

        return result;
    }

    private readonly record struct Mention(UnitRef Unit);
}
