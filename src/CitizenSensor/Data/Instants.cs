using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace CitizenSensor.Data;

/// <summary>
/// Instants are stored as instants on both databases: on SQLite as a 64-bit integer of UTC ticks (which compares and
/// sorts as time does, whatever offset a value was written or queried with); on PostgreSQL as <c>timestamptz</c>, which
/// Npgsql only accepts in UTC, so every value and query parameter is turned to UTC first.
/// See docs/decisions/0010-instants-stored-as-utc.md.
/// </summary>
public static class Instants
{
    /// <summary>How SQLite stores an instant: for writers that bypass EF, so EF reads their rows back.</summary>
    public static long ToUtcTicks(DateTimeOffset value) => value.UtcTicks;

    public static DateTimeOffset FromUtcTicks(long ticks) => new(ticks, TimeSpan.Zero);
}

/// <summary>SQLite: an instant as its UTC ticks; read back with offset zero.</summary>
public sealed class UtcTicksConverter() : ValueConverter<DateTimeOffset, long>(v => v.UtcTicks, v => new DateTimeOffset(v, TimeSpan.Zero));

/// <summary>PostgreSQL: an instant turned to UTC before Npgsql writes it to <c>timestamptz</c> (it refuses other offsets).</summary>
public sealed class ToUtcConverter() : ValueConverter<DateTimeOffset, DateTimeOffset>(v => v.ToUniversalTime(), v => v);
