namespace CitizenSensor.Infrastructure;

/// <summary>
/// The one place that knows what a "day" is. Everything is stored in UTC; the city's days are
/// Asia/Ho_Chi_Minh days (UTC+7 all year, no daylight saving).
/// </summary>
public static class CityTime
{
    public static TimeZoneInfo Zone { get; } = FindZone();

    public static DateOnly DayOf(DateTimeOffset instant) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, Zone).DateTime);

    public static DateTimeOffset StartOfDay(DateOnly day) => FromLocal(day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified));

    /// <summary>A wall-clock time in the city (as typed into a form) as an instant.</summary>
    public static DateTimeOffset FromLocal(DateTime local) =>
        new DateTimeOffset(DateTime.SpecifyKind(local, DateTimeKind.Unspecified), Zone.GetUtcOffset(local)).ToUniversalTime();

    public static DateTimeOffset ToLocal(DateTimeOffset instant) => TimeZoneInfo.ConvertTime(instant, Zone);

    /// <summary>An instant as staff lists show it, in city time: "14:05 23/09".</summary>
    public static string Brief(DateTimeOffset instant) => ToLocal(instant).ToString("HH:mm dd/MM", System.Globalization.CultureInfo.InvariantCulture);

    private static TimeZoneInfo FindZone()
    {
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById("Asia/Ho_Chi_Minh");
        }
        catch (TimeZoneNotFoundException)
        {
            // Minimal containers may ship without tzdata; Vietnam has kept UTC+7 without DST since 1975.
            return TimeZoneInfo.CreateCustomTimeZone("Asia/Ho_Chi_Minh", TimeSpan.FromHours(7), "Indochina Time", "ICT");
        }
    }
}
