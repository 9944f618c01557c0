namespace CitizenSensor.Infrastructure;

/// <summary>
/// The limits keyed by what a request says rather than where it comes from: per person (a keyed hash of the
/// normalised phone, never the phone itself) and per venue. The rate limiting middleware partitions before the body is
/// read, so the domain services that read the body ask here, once an item is otherwise valid; a refused item is
/// stored nowhere. Per node, like <see cref="PublicLimits"/>.
/// </summary>
/// <remarks>
/// Not System.Threading.RateLimiting's partitioned limiter, which the first version used: it keeps one limiter per
/// person until the person's window has passed and scans all of them under one lock ten times a second. A city's
/// hour of check-ins is hundreds of thousands of people, so the scan alone took 9% of a core after 100,000 check-ins
/// (docs/benchmarks.md) and every new phone waited for it. Here each limit counts in fixed windows aligned to the
/// clock: one dictionary per window, dropped whole when the next window starts; a check is one dictionary update.
/// </remarks>
public sealed class BodyLimits(RateLimitOptions options, TimeProvider time)
{
    private readonly WindowCounts<long> _phoneCheckIns = new(options.PhoneCheckIns, time);
    private readonly WindowCounts<string> _venueCheckIns = new(options.VenueCheckIns, time);
    private readonly WindowCounts<long> _phoneDeclarations = new(options.PhoneDeclarations, time);

    /// <summary>Null when the person (by phone hash) and the venue may check in once more; else how long to wait.</summary>
    public Refusal? CheckIn(byte[] phoneHash, string venueCode) =>
        _venueCheckIns.Take(venueCode.ToUpperInvariant(), LimitedBy.Venue) ?? _phoneCheckIns.Take(PersonKey(phoneHash), LimitedBy.Phone);

    /// <summary>Null when the person (by phone hash) may declare once more; else how long to wait.</summary>
    public Refusal? Declaration(byte[] phoneHash) => _phoneDeclarations.Take(PersonKey(phoneHash), LimitedBy.Phone);

    /// <summary>
    /// A person's key in the counts: the first 64 bits of the phone's keyed hash. An hour of a city's check-ins is
    /// hundreds of thousands of people; as numbers they cost no string each (a base64 key per person made the counts
    /// the portal's largest live data, and check-ins slowed as they grew). Two people share a count only if their
    /// hashes share 64 bits: about one chance in 36 million for any pair among a million phones, and then they share a limit.
    /// </summary>
    private static long PersonKey(byte[] phoneHash) => System.Buffers.Binary.BinaryPrimitives.ReadInt64LittleEndian(phoneHash);

    /// <summary>How many times each key was counted in the current window of one limit.</summary>
    private sealed class WindowCounts<TKey>(RequestLimit limit, TimeProvider time)
        where TKey : notnull
    {
        private readonly int _permits = Math.Max(1, limit.Permits);
        private readonly long _window = (limit.Window > TimeSpan.Zero ? limit.Window : TimeSpan.FromMinutes(1)).Ticks;
        private Window _current = new(long.MinValue);

        public Refusal? Take(TKey key, LimitedBy by)
        {
            var now = time.GetUtcNow().UtcTicks;
            var start = now - (now % _window);
            var window = Volatile.Read(ref _current);
            if (window.Start != start)
            {
                var fresh = new Window(start);
                var seen = Interlocked.CompareExchange(ref _current, fresh, window);
                window = ReferenceEquals(seen, window) ? fresh : seen;
            }

            var count = window.Counts.AddOrUpdate(key, 1, static (_, n) => n + 1);
            return count <= _permits ? null : new Refusal(by, TimeSpan.FromTicks(start + _window - now));
        }

        private sealed class Window(long start)
        {
            public long Start { get; } = start;

            public System.Collections.Concurrent.ConcurrentDictionary<TKey, int> Counts { get; } = new();
        }
    }

    /// <summary>Which limit refused: the person's or the venue's.</summary>
    public enum LimitedBy
    {
        Phone,
        Venue,
    }

    /// <summary>A refusal: which limit, and when the next item would be taken (the answer's <c>Retry-After</c>).</summary>
    public sealed record Refusal(LimitedBy By, TimeSpan RetryAfter)
    {
        /// <summary>Whole seconds, at least one, as <c>Retry-After</c> carries them.</summary>
        public int Seconds => Math.Max(1, (int)Math.Ceiling(RetryAfter.TotalSeconds));

        /// <summary>What the service says about it, in the API's words.</summary>
        public string Message => By == LimitedBy.Venue
            ? $"This venue has taken as many check-ins as the portal takes in a while; try again in {Seconds} s."
            : $"This phone has made as many of these as the portal takes from one person in a while; try again in {Seconds} s.";

        /// <summary>Sets <c>Retry-After</c> on the response (the endpoint's or the page's).</summary>
        public void Tell(HttpResponse response) => response.Headers.RetryAfter = Seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);

        /// <summary>The API's answer: 429 ProblemDetails, with <c>Retry-After</c>.</summary>
        public Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult ToApi(HttpResponse response, string title)
        {
            Tell(response);
            return TypedResults.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: title, detail: Message);
        }
    }
}
