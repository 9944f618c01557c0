using System.Globalization;
using CitizenSensor.Features.Reports;

namespace CitizenSensor.Features.Channels.Open311;

/// <summary>An Open311 attribute (here: question, to keep the Attribute suffix for .NET attributes): a question a service asks beyond the standard fields (<c>attribute[code]</c>).</summary>
public sealed record Open311Question(string Code, string Datatype, bool Required, string DescriptionVi, string DescriptionEn, int Order)
{
    public string Description(bool english) => english ? DescriptionEn : DescriptionVi;

    /// <summary>Null when the value fits the datatype, else the problem.</summary>
    public string? Check(string value) => Datatype switch
    {
        "number" when !double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) || !double.IsFinite(n) || n < 0 =>
            $"attribute[{Code}] must be a non-negative number.",
        "string" when value.Length > 200 => $"attribute[{Code}] must be at most 200 characters.",
        _ => null,
    };
}

/// <summary>
/// The Open311 services: one per active category (its code is the service_code) plus <c>general</c>, for clients that
/// leave the choice to the city: the classifier picks the category, and later GETs show it.
/// </summary>
public static class Open311Services
{
    public const string General = "general";

    private static readonly Dictionary<string, Open311Question[]> Attributes = new(StringComparer.Ordinal)
    {
        [Category.Business] = [new("business_name", "string", false, "Tên cơ sở kinh doanh (nếu biết)", "Name of the business (if known)", 1)],
        [Category.Crowding] = [new("people_count", "number", false, "Khoảng bao nhiêu người", "About how many people", 1)],
    };

    public static IReadOnlyList<Open311Question> AttributesOf(string serviceCode) => Attributes.GetValueOrDefault(serviceCode) ?? [];

    public static Open311Object Service(string code, string name, string description, bool english) => Open311Object.Of(
        ("service_code", code),
        ("service_name", name),
        ("description", description),
        ("metadata", AttributesOf(code).Count > 0),
        ("type", "realtime"),
        ("keywords", ""),
        ("group", code is Category.Business or Category.Crowding or Category.PublicOrder or Category.SuspectedCase
            ? (english ? "Epidemic-rule violations" : "Vi phạm phòng chống dịch")
            : (english ? "Other" : "Khác")));

    public static Open311Object Definition(string code, bool english) => Open311Object.Of(
        ("service_code", code),
        ("attributes", new Open311List("attribute", [.. AttributesOf(code).Select(a => Open311Object.Of(
            ("variable", true),
            ("code", a.Code),
            ("datatype", a.Datatype),
            ("required", a.Required),
            ("datatype_description", a.Datatype == "number" ? (english ? "A whole number" : "Một số") : ""),
            ("order", a.Order),
            ("description", a.Description(english)),
            ("values", new Open311List("value", []))))])));
}
