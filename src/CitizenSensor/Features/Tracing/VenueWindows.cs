using System.Linq.Expressions;
using CitizenSensor.Features.Venues;

namespace CitizenSensor.Features.Tracing;

/// <summary>
/// Where and when a trace looks for the other people at a venue: the check-ins from <see cref="Since"/> to
/// <see cref="To"/>, and the earlier ones back to <see cref="From"/> whose check-out came at <see cref="Since"/> or later
/// (the long stays). A check-in without a check-out ends by the default stay, so older ones cannot reach the window.
/// </summary>
internal readonly record struct VenueWindow(long VenueId, DateTimeOffset From, DateTimeOffset Since, DateTimeOffset To)
{
    public bool Holds(DateTimeOffset at, DateTimeOffset? checkOut) => at >= From && at <= To && (at >= Since || checkOut >= Since);
}

/// <summary>
/// The check-ins inside any of many venue windows, <see cref="Size"/> windows to a query: each window is one range of
/// the (VenueId, At) index (its long stays filtered in the database), joined by OR, which both databases read as that
/// many index ranges. Every value is a parameter and every query has one shape, compiled once (a short last chunk
/// repeats its last window).
/// </summary>
internal static class VenueWindows
{
    public const int Size = 32;

    /// <summary>A value the query reads from a constant's field: EF reads it without compiling anything and sends it as a parameter.</summary>
    private sealed class Box<T>(T value)
    {
        public readonly T Value = value;
    }

    /// <summary>The filter for up to <see cref="Size"/> windows.</summary>
    public static Expression<Func<CheckIn, bool>> AnyOf(IReadOnlyList<VenueWindow> windows)
    {
        if (windows.Count is 0 or > Size)
        {
            throw new ArgumentOutOfRangeException(nameof(windows), windows.Count, $"Between 1 and {Size} windows.");
        }

        var padded = new VenueWindow[Size];
        for (var i = 0; i < Size; i++)
        {
            padded[i] = windows[Math.Min(i, windows.Count - 1)];
        }

        return Filter(padded);
    }

    /// <summary>The windows with those of a venue whose spans overlap or touch joined (holding all that each held), so that few check-ins are read twice.</summary>
    public static List<VenueWindow> Merged(IEnumerable<VenueWindow> windows)
    {
        var merged = new List<VenueWindow>();
        foreach (var window in windows.OrderBy(w => w.VenueId).ThenBy(w => w.From))
        {
            if (merged.Count > 0 && merged[^1] is var last && last.VenueId == window.VenueId && window.Since <= last.To)
            {
                merged[^1] = new VenueWindow(last.VenueId, Min(last.From, window.From), Min(last.Since, window.Since), window.To > last.To ? window.To : last.To);
            }
            else
            {
                merged.Add(window);
            }
        }

        return merged;
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    /// <summary>
    /// <c>c => (c.VenueId == v0 &amp;&amp; c.At &gt;= from0 &amp;&amp; c.At &lt;= to0 &amp;&amp; (c.At &gt;= since0 || c.CheckOutAt &gt;= since0)) || …</c>,
    /// each value a field of a boxed constant, so that EF makes it a parameter and the query's shape never changes.
    /// </summary>
    private static Expression<Func<CheckIn, bool>> Filter(VenueWindow[] windows)
    {
        var c = Expression.Parameter(typeof(CheckIn), "c");
        var (venue, at, checkOut) = (Expression.Property(c, nameof(CheckIn.VenueId)), Expression.Property(c, nameof(CheckIn.At)), Expression.Property(c, nameof(CheckIn.CheckOutAt)));
        Expression? body = null;
        foreach (var window in windows)
        {
            var since = Boxed(window.Since);
            var term = Expression.AndAlso(
                Expression.AndAlso(
                    Expression.Equal(venue, Boxed(window.VenueId)),
                    Expression.AndAlso(Expression.GreaterThanOrEqual(at, Boxed(window.From)), Expression.LessThanOrEqual(at, Boxed(window.To)))),
                Expression.OrElse(Expression.GreaterThanOrEqual(at, since), Expression.GreaterThanOrEqual(checkOut, Boxed<DateTimeOffset?>(window.Since))));
            body = body is null ? term : Expression.OrElse(body, term);
        }

        return Expression.Lambda<Func<CheckIn, bool>>(body!, c);
    }

    private static MemberExpression Boxed<T>(T value) => Expression.Field(Expression.Constant(new Box<T>(value)), nameof(Box<T>.Value));
}
