using CitizenSensor.Infrastructure;

namespace CitizenSensor.Features.Jurisdictions;

/// <summary>
/// What an address names: its city, the unit that handles it (<see cref="District"/>: a district in the 2021 units, a
/// commune in the 2025 ones) and, where the set has units below that, the one inside it (<see cref="Ward"/>).
/// </summary>
public sealed record AddressMatch(UnitRef? Province, UnitRef? District, UnitRef? Ward, string? Reason)
{
    public bool Matched => District is not null;

    /// <summary>When the address was written in an earlier set's units: the old unit it named ("Phường Trúc Bạch, Quận Ba Đình").</summary>
    public UnitRef? Named { get; init; }

    /// <summary>When the address fits several units: each of them with its parent ("Phường 15, Quận 8"), for the person who chooses.</summary>
    public IReadOnlyList<string> Candidates { get; init; } = [];

    /// <summary>The text names the handling unit itself ("Q. Gò Vấp"), not only a unit inside it that settles it.</summary>
    public bool NamesHandlingUnit { get; init; }
}

/// <summary>
/// Text → unit: finds the ward, district and city named in a free-text address, with or without diacritics and
/// with the usual abbreviations ("P. Bến Nghé, Q.1", "phuong ben nghe quan 1", "Q. Gò Vấp", "TP Thủ Đức").
/// It reports what it is sure of and nothing more: "Phường 15" alone exists in many districts and is not guessed.
/// Street words (đường, phố, ngõ, ngách, hẻm, số, QL…) and a leading house number introduce a street, whose name is
/// never read as a unit: "đường Nguyễn Trãi" is not Xã Nguyễn Trãi. The street runs to the next comma or type word,
/// or to where the rest of the text names districts or cities ("đường Nguyễn Trãi Thanh Xuân").
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
        (["dac", "khu"], "Đặc khu"),
        (["tinh"], "Tỉnh"),
    ];

    // Words that introduce a street (or an alley, a house number, a highway), folded, longest first.
    private static readonly string[][] StreetWords =
    [
        ["quoc", "lo"], ["tinh", "lo"], ["dai", "lo"], ["xa", "lo"], ["duong"], ["pho"], ["ngo"], ["ngach"], ["hem"], ["kiet"], ["so"], ["ql"], ["tl"], ["dl"],
    ];

    /// <summary>Stands between the parts of an address that people separate ("12 Lê Lợi, P. Bến Nghé, Q.1"): no name spans it.</summary>
    private const string Boundary = ",";

    /// <summary>Stands for " - ", which separates parts ("12 Lê Lợi - Q.1") but also joins names ("Văn Miếu - Quốc Tử Giám"): streets end there, names run through it.</summary>
    private const string Dash = "-";

    // Everyday names of the two shipped cities, folded; keyed to their GSO codes.
    private static readonly (string Alias, string Code)[] CityAliases =
    [
        ("ho chi minh", "79"), ("hcm", "79"), ("hcmc", "79"), ("sai gon", "79"), ("saigon", "79"),
        ("ha noi", "01"), ("hanoi", "01"), ("hn", "01"),
    ];

    private readonly Dictionary<string, List<UnitRef>> _byKey = new(StringComparer.Ordinal);
    private readonly Dictionary<string, UnitRef> _byCode = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _parentOf = new(StringComparer.Ordinal);
    private readonly HashSet<string> _parents = new(StringComparer.Ordinal);
    private readonly int _handlingDepth;

    /// <param name="units">The set's units, with their parents' keys.</param>
    /// <param name="handlingDepth">The depth of the units that handle reports (<see cref="UnitSet.HandlingDepth"/>); the units below them are the "wards".</param>
    public AddressMatcher(IEnumerable<(UnitRef Unit, string? ParentCode)> units, int handlingDepth = 0)
    {
        foreach (var (unit, parent) in units)
        {
            _byCode[unit.Code] = unit;
            if (parent is not null)
            {
                _parentOf[unit.Code] = parent;
                _parents.Add(parent);
            }

            AddKey(KeyOf(unit), unit);
        }

        foreach (var (alias, code) in CityAliases)
        {
            if (_byCode.Values.FirstOrDefault(u => u.GsoCode == code && !_parentOf.ContainsKey(u.Code)) is { } city)
            {
                AddKey(alias, city);
            }
        }

        _handlingDepth = handlingDepth > 0 ? handlingDepth : _byCode.Values.Where(u => _parentOf.ContainsKey(u.Code)).Select(u => u.Level).DefaultIfEmpty(0).Min();
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
        var tokens = Tokenize(text);
        if (tokens.Length == 0)
        {
            return new AddressMatch(null, null, null, "The address is empty.");
        }

        var mentions = FindMentions(tokens);
        var provinces = mentions.Where(m => !_parentOf.ContainsKey(m.Unit.Code)).Select(m => m.Unit).DistinctBy(u => u.Code).ToList();
        var province = provinces.Count == 1 ? provinces[0] : null;

        var districts = Candidates(mentions, _handlingDepth, province);
        // A ward's name without its type word ("Vân Hòa") counts only beside its district or a city: alone it is as
        // likely part of a place's name ("nhà văn hóa").
        var wards = Candidates([.. mentions.Where(m => m.Marked || province is not null || districts.Any(d => d.Code == Parent(m.Unit)))], _handlingDepth + 1, province);

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
            if (districts.Count > 1)
            {
                return new AddressMatch(province, null, null, $"The address names several districts ({string.Join(", ", districts.Select(d => d.Name))}).")
                { Candidates = [.. districts.Select(d => d.Name)] };
            }

            if (wards.Count > 1)
            {
                var parents = wards.Select(w => Unit(Parent(w))?.Name).ToList();
                return new AddressMatch(province, null, null, $"“{wards[0].Name}” exists in several districts ({string.Join(", ", parents)}); the address must name the district too.")
                { Candidates = [.. wards.Select((w, i) => $"{w.Name}, {parents[i]}")] };
            }

            return new AddressMatch(province, null, null, "No district or ward of the cities served was recognised in the address.");
        }

        province ??= Unit(Parent(district));
        if (Parent(district) != province?.Code)
        {
            return new AddressMatch(province, null, null, $"{district.Name} is not in {province?.Name}.");
        }

        return new AddressMatch(province, district, ward, null) { NamesHandlingUnit = districts.Any(d => d.Code == district.Code) };
    }

    /// <summary>The units of one depth that the text names, inside the named city if it names one.</summary>
    private List<UnitRef> Candidates(List<Mention> mentions, int depth, UnitRef? province) => mentions
        .Where(m => m.Unit.Level == depth)
        .Where(m => province is null || Ancestors(m.Unit.Code).Contains(province.Code))
        .Select(m => m.Unit)
        .DistinctBy(u => u.Code)
        .ToList();

    /// <summary>The address's words, folded, with <see cref="Boundary"/> where the writer separated its parts.</summary>
    private static string[] Tokenize(string? text)
    {
        var parts = (text ?? "").Split([',', ';', '\n', '\r', '(', ')', '|']);
        var tokens = new List<string>();
        foreach (var part in parts)
        {
            var separator = Boundary;
            foreach (var piece in part.Split(" - "))
            {
                var words = VietnameseText.Tokens(piece);
                if (words.Length > 0)
                {
                    if (tokens.Count > 0)
                    {
                        tokens.Add(separator);
                    }

                    tokens.AddRange(words);
                    separator = Dash;
                }
            }
        }

        return [.. tokens];
    }

    /// <summary>
    /// Scans the tokens for unit names, longest first; a bare number counts only right after a type word, and a street's
    /// name (<see cref="StreetEnd"/>) is skipped.
    /// </summary>
    private List<Mention> FindMentions(string[] tokens)
    {
        var mentions = new List<Mention>();
        var i = 0;
        while (i < tokens.Length)
        {
            if (IsBreak(tokens[i]))
            {
                i++;
            }
            else if ((MarkerAt(tokens, i).Length == 0 || StreetWordAt(tokens, i) > 1) && StreetEnd(tokens, i) is { } street) // "xa lộ" is a road, not a "xã"
            {
                i = street;
            }
            else if (MentionAt(tokens, i, tokens.Length) is { } mention)
            {
                mentions.AddRange(mention.Units.Select(u => new Mention(u, mention.Marked)));
                i = mention.Next;
            }
            else
            {
                i++;
            }
        }

        return mentions;
    }

    /// <summary>
    /// Where the street that starts at <paramref name="index"/> ends, or null when no street starts there: after a street
    /// word or a leading house number, the numbers, then the name up to the next boundary or type word, or up to where
    /// the rest of the part names districts or cities only.
    /// </summary>
    private int? StreetEnd(string[] tokens, int index)
    {
        var word = StreetWordAt(tokens, index);
        var houseNumber = word == 0 && IsNumber(tokens[index]) && (index == 0 || IsBreak(tokens[index - 1]));
        if (word == 0 && !houseNumber)
        {
            return null;
        }

        var start = index + word;
        while (start < tokens.Length && IsNumber(tokens[start]))
        {
            start++;
        }

        if (start < tokens.Length && StreetWordAt(tokens, start) > 0)
        {
            return start; // "ngõ 12 phố Huế": the next street word carries on
        }

        var end = start;
        while (end < tokens.Length && !IsBreak(tokens[end]) && MarkerAt(tokens, end).Length == 0)
        {
            end++;
        }

        for (var split = start + 1; split < end; split++)
        {
            if (NamesAreasOnly(tokens, split, end))
            {
                return split;
            }
        }

        return end;
    }

    /// <summary>
    /// Whether the tokens from <paramref name="from"/> to <paramref name="to"/> are names of units that have units under
    /// them (districts, cities), and nothing else: what people write after a street without a comma. A ward's name there
    /// is more likely the end of the street's own name ("đường Trần Hưng Đạo").
    /// </summary>
    private bool NamesAreasOnly(string[] tokens, int from, int to)
    {
        for (var i = from; i < to;)
        {
            if (MentionAt(tokens, i, to) is not { } mention || mention.Units.Count == 0 || !mention.Units.All(u => _parents.Contains(u.Code)))
            {
                return false;
            }

            i = mention.Next;
        }

        return true;
    }

    /// <summary>The units named at <paramref name="index"/> (after a type word if there is one), and where the name ends.</summary>
    private (List<UnitRef> Units, int Next, bool Marked)? MentionAt(string[] tokens, int index, int limit)
    {
        var (markerType, markerLength) = MarkerAt(tokens, index);
        var words = new List<int>(MaxNameTokens); // the name's words, through a dash
        for (var i = index + markerLength; i < limit && words.Count < MaxNameTokens && tokens[i] != Boundary; i++)
        {
            if (tokens[i] != Dash)
            {
                words.Add(i);
            }
        }

        for (var length = words.Count; length >= 1; length--)
        {
            var key = string.Join(' ', words.Take(length).Select(w => tokens[w]));
            if (!_byKey.TryGetValue(key, out var units) || (char.IsAsciiDigit(key[0]) && markerType is null))
            {
                continue;
            }

            var typed = markerType is null ? units : units.Where(u => TypeMatches(u, markerType)).ToList();
            var next = words[length - 1] + 1;
            if (typed.Count == 0 || (markerType is not null && !EndsName(tokens, next, limit)))
            {
                continue; // "phường Tân Hưng" does not start "phường Tân Hưng Thuận"
            }

            // Without a type word, a name shared by a district and a ward means the district ("Đông Anh").
            if (markerType is null)
            {
                var top = typed.Min(u => u.Level);
                typed = typed.Where(u => u.Level == top).ToList();
            }

            return (typed, next, markerType is not null);
        }

        if (markerType is not null && words.Count > 0)
        {
            // A type word before a name this set does not have (or has with another type): the name is read as a
            // whole and names nothing, rather than a unit inside it ("phường Tân Chánh Hiệp" is not Chánh Hiệp).
            var end = words[0];
            while (end < limit && !IsBreak(tokens[end]) && MarkerAt(tokens, end).Length == 0 && StreetWordAt(tokens, end) == 0)
            {
                end++;
            }

            return ([], end, true);
        }

        return null;
    }

    /// <summary>Whether a unit's name can end before <paramref name="next"/>: the text goes on with a break, a type word, a street or another name.</summary>
    private bool EndsName(string[] tokens, int next, int limit) =>
        next >= limit || IsBreak(tokens[next]) || MarkerAt(tokens, next).Length > 0 || StreetWordAt(tokens, next) > 0
        || Enumerable.Range(1, Math.Min(MaxNameTokens, limit - next)).Any(n => _byKey.ContainsKey(string.Join(' ', tokens, next, n)));

    private static int StreetWordAt(string[] tokens, int index)
    {
        foreach (var word in StreetWords)
        {
            if (index + word.Length <= tokens.Length && tokens.AsSpan(index, word.Length).SequenceEqual(word))
            {
                return word.Length;
            }
        }

        return 0;
    }

    private static bool IsBreak(string token) => token is Boundary or Dash;

    private static bool IsNumber(string token) => token.Length > 0 && char.IsAsciiDigit(token[0]);

    private bool TypeMatches(UnitRef unit, string markerType) =>
        unit.Type.StartsWith(markerType, StringComparison.Ordinal)
        || (markerType == "Thành phố" && !_parentOf.ContainsKey(unit.Code));

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

    /// <summary>The set's unit with this key, if it is one of this set's.</summary>
    public UnitRef? Find(string key) => Unit(key);

    /// <summary>A unit of this set and the units above it, from the top down.</summary>
    public IReadOnlyList<UnitRef> LineOf(UnitRef unit)
    {
        var line = new List<UnitRef> { unit };
        for (var code = _parentOf.GetValueOrDefault(unit.Code); code is not null && Unit(code) is { } up; code = _parentOf.GetValueOrDefault(code))
        {
            line.Insert(0, up);
        }

        return line;
    }

    /// <summary>The top unit (city or province) above a unit of this set, or the unit itself when it is one.</summary>
    public UnitRef? TopOf(UnitRef unit)
    {
        var code = unit.Code;
        while (_parentOf.TryGetValue(code, out var parent))
        {
            code = parent;
        }

        return Unit(code);
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

    /// <param name="Unit">A unit the text names.</param>
    /// <param name="Marked">Named after its type word ("phường Bến Nghé"), not by its name alone.</param>
    private readonly record struct Mention(UnitRef Unit, bool Marked);
}
