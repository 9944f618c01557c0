using System.Globalization;
using Microsoft.Extensions.Localization;

namespace CitizenSensor.Features.Jurisdictions;

/// <summary>A unit set's days in words, in the page's language: "từ 01/07/2025", "đến 30/06/2025".</summary>
public static class Periods
{
    public static string Of(DateOnly? from, DateOnly? to, IStringLocalizer text) => (from, to) switch
    {
        (null, null) => text["SetAlways"],
        ({ } start, null) => text["SetFrom", Day(start)],
        (null, { } end) => text["SetUntil", Day(end)],
        ({ } start, { } end) => text["SetBetween", Day(start), Day(end)],
    };

    private static string Day(DateOnly day) => day.ToString("dd/MM/yyyy", CultureInfo.InvariantCulture);
}
