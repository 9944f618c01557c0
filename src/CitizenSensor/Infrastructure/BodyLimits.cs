using System.Threading.RateLimiting;

namespace CitizenSensor.Infrastructure;

/// <summary>
/// The limits keyed by what a request says rather than where it comes from: per person (a keyed hash of the
/// normalised phone, never the phone itself) and per venue. The rate limiting middleware partitions before the body is
/// read, so the domain services that read the body ask here, once an item is otherwise valid; a refused item is
/// stored nowhere. Per node, like <see cref="PublicLimits"/>.
/// </summary>
public sealed class BodyLimits : IDisposable
{
    private readonly PartitionedRateLimiter<string> _phoneCheckIns;
    private readonly PartitionedRateLimiter<string> _venueCheckIns;
    private readonly PartitionedRateLimiter<string> _phoneDeclarations;

    public BodyLimits(RateLimitOptions options)
    {
        _phoneCheckIns = Create(options.PhoneCheckIns);
        _venueCheckIns = Create(options.VenueCheckIns);
        _phoneDeclarations = Create(options.PhoneDeclarations);
    }

    /// <summary>Null when the person (by phone hash) and the venue may check in once more; else how long to wait.</summary>
    public Refusal? CheckIn(byte[] phoneHash, string venueCode) =>
        Take(_venueCheckIns, venueCode.ToUpperInvariant(), LimitedBy.Venue) ?? Take(_phoneCheckIns, Convert.ToBase64String(phoneHash), LimitedBy.Phone);

    /// <summary>Null when the person (by phone hash) may declare once more; else how long to wait.</summary>
    public Refusal? Declaration(byte[] phoneHash) => Take(_phoneDeclarations, Convert.ToBase64String(phoneHash), LimitedBy.Phone);

    public void Dispose()
    {
        _phoneCheckIns.Dispose();
        _venueCheckIns.Dispose();
        _phoneDeclarations.Dispose();
    }

    private static Refusal? Take(PartitionedRateLimiter<string> limiter, string key, LimitedBy by)
    {
        using var lease = limiter.AttemptAcquire(key);
        return lease.IsAcquired
            ? null
            : new Refusal(by, lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromMinutes(1));
    }

    private static PartitionedRateLimiter<string> Create(RequestLimit limit) =>
        PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = Math.Max(1, limit.Permits),
            Window = limit.Window > TimeSpan.Zero ? limit.Window : TimeSpan.FromMinutes(1),
            QueueLimit = 0,
        }));

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
