using System.Globalization;
using System.Net;
using System.Threading.RateLimiting;
using CitizenSensor.Features.Channels.Open311;
using CitizenSensor.Features.Reports;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.RateLimiting;

namespace CitizenSensor.Infrastructure;

/// <summary>One limit: how many requests a client address may make in a window.</summary>
public sealed class RequestLimit
{
    public RequestLimit()
    {
    }

    public RequestLimit(int permits, TimeSpan window) => (Permits, Window) = (permits, window);

    public int Permits { get; set; }

    public TimeSpan Window { get; set; }
}

/// <summary>
/// <c>RateLimits</c>: how many public writes one client address may make, per node (each node counts its own). The
/// defaults leave room for what honest use looks like at its busiest, and no more; docs/security.md gives the reasons.
/// </summary>
public sealed class RateLimitOptions
{
    /// <summary>Reports from the web form, the app API and their files: a resident files a few a day; a ward office behind one NAT, a few dozen an hour.</summary>
    public RequestLimit Reports { get; set; } = new(20, TimeSpan.FromMinutes(10));

    /// <summary>Health declarations: a family declaring for its members, a clinic's front desk for its patients.</summary>
    public RequestLimit Declarations { get; set; } = new(60, TimeSpan.FromMinutes(10));

    /// <summary>Declarations from a partner system, per partner key (<c>X-Partner-Key</c>): batches from a health app's server.</summary>
    public RequestLimit PartnerDeclarations { get; set; } = new(600, TimeSpan.FromMinutes(1));

    /// <summary>Asking to follow a report by e-mail: each request mails whoever is named.</summary>
    public RequestLimit Following { get; set; } = new(10, TimeSpan.FromMinutes(1));

    /// <summary>Check-ins (one or a batch a request): a market gate's scanner sends a request every second or two all day.</summary>
    public RequestLimit CheckIns { get; set; } = new(600, TimeSpan.FromMinutes(1));

    /// <summary>
    /// Check-ins per person (by a keyed hash of the phone), from any address: someone visits a handful of places an
    /// hour; 30 leaves room for a scanner resending a batch that timed out, and stops one phone being checked in
    /// everywhere to fill the tracing data with a made-up trail.
    /// </summary>
    public RequestLimit PhoneCheckIns { get; set; } = new(30, TimeSpan.FromHours(1));

    /// <summary>
    /// Check-ins per venue, from any address: the busiest market's gates take a few thousand an hour at peak, and a
    /// scanner that was offline uploads its backlog in batches of up to a thousand; 20,000 an hour is far above both,
    /// and still stops one poster's code being flooded with invented visitors.
    /// </summary>
    public RequestLimit VenueCheckIns { get; set; } = new(20_000, TimeSpan.FromHours(1));

    /// <summary>
    /// Health declarations per person (by a keyed hash of the phone), from any address: one a day is the rule; a parent
    /// declaring for children on the same phone, and corrections, stay well under 20 an hour. Each symptomatic
    /// declaration opens a follow-up task, so one phone cannot fill the health officers' queue.
    /// </summary>
    public RequestLimit PhoneDeclarations { get; set; } = new(20, TimeSpan.FromHours(1));

    /// <summary>Check-outs and personal QR passes: one each per person and visit.</summary>
    public RequestLimit Passes { get; set; } = new(30, TimeSpan.FromMinutes(10));

    /// <summary>Venue registrations: a chain's manager registers its shops; anything more is the ward office's job.</summary>
    public RequestLimit VenueRegistrations { get; set; } = new(10, TimeSpan.FromHours(1));

    /// <summary>Staff sign-in (page and token API): enough for typing mistakes, too few for guessing passwords.</summary>
    public RequestLimit SignIn { get; set; } = new(10, TimeSpan.FromMinutes(5));

    /// <summary>
    /// Addresses (IPs or CIDR ranges) of the reverse proxies in front of the portal: only their X-Forwarded-For is
    /// believed, so the limits count the resident's address, not the proxy's. Empty: the connection's address counts.
    /// </summary>
    public string[] TrustedProxies { get; set; } = [];
}

/// <summary>
/// The public writes' limits, with ASP.NET Core's rate limiter: a fixed window per client address for each kind of
/// write. Reads (GET, HEAD) are never counted, so a page and its form share a policy. A refused request gets 429 with
/// <c>Retry-After</c>, as ProblemDetails for API clients and as the error page for browsers.
/// </summary>
public static class PublicLimits
{
    public const string Reports = "public-reports";
    public const string Declarations = "public-declarations";
    public const string CheckIns = "public-checkins";
    public const string Passes = "public-passes";
    public const string VenueRegistrations = "public-venue-registrations";
    public const string SignIn = "sign-in";
    public const string Following = "public-following";
    public const string Open311Posts = "open311-posts";
    public const string NearbyReads = "public-nearby-reads";

    /// <summary>The header partner systems declare with (<c>PartnerKeys.Header</c>): such requests count per key, not per address.</summary>
    public const string PartnerHeader = "X-Partner-Key";

    public static RateLimitOptions AddPublicLimits(this WebApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection("RateLimits").Get<RateLimitOptions>() ?? new RateLimitOptions();
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton<BodyLimits>();
        builder.Services.Configure<ForwardedHeadersOptions>(forwarded =>
        {
            forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            forwarded.KnownProxies.Clear();
            forwarded.KnownIPNetworks.Clear();
            foreach (var proxy in options.TrustedProxies)
            {
                if (proxy.Contains('/', StringComparison.Ordinal))
                {
                    forwarded.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(proxy));
                }
                else
                {
                    forwarded.KnownProxies.Add(IPAddress.Parse(proxy));
                }
            }
        });
        builder.Services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.OnRejected = RejectAsync;
            Add(limiter, Reports, options.Reports);
            limiter.AddPolicy(Declarations, http => http.Request.Headers[PartnerHeader].ToString() is { Length: > 0 } key
                ? Window("partner:" + key, options.PartnerDeclarations) // a wrong key is refused (401) before anything is stored
                : Partition(http, options.Declarations));
            Add(limiter, Following, options.Following);
            Add(limiter, CheckIns, options.CheckIns);
            Add(limiter, Passes, options.Passes);
            Add(limiter, VenueRegistrations, options.VenueRegistrations);
            Add(limiter, SignIn, options.SignIn);
            var open311 = new RequestLimit((builder.Configuration.GetSection("Open311").Get<Open311Options>() ?? new Open311Options()).PostsPerMinute, TimeSpan.FromMinutes(1));
            limiter.AddPolicy(Open311Posts, http => Open311Partition(http, open311));
            // Reads, but answered from a geographic query to anyone: counted per address, GETs included.
            var nearby = new RequestLimit((builder.Configuration.GetSection("Reports:Nearby").Get<NearbyOptions>() ?? new NearbyOptions()).PermitsPerMinute, TimeSpan.FromMinutes(1));
            limiter.AddPolicy(NearbyReads, http => Window("nearby:" + ClientOf(http), nearby));
        });
        return options;
    }

    /// <summary>429 with Retry-After; API clients get ProblemDetails saying when to try again, browsers the error page.</summary>
    private static async ValueTask RejectAsync(OnRejectedContext context, CancellationToken cancellationToken)
    {
        var http = context.HttpContext;
        var wait = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : (TimeSpan?)null;
        if (wait is { } w)
        {
            http.Response.Headers.RetryAfter = ((int)Math.Ceiling(w.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        }

        if (ErrorPages.WantsPage(http))
        {
            return; // the status code pages draw the error page in the visitor's language
        }

        await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails =
            {
                Status = StatusCodes.Status429TooManyRequests,
                Title = "Too many requests",
                Detail = "This address has made as many requests of this kind as the portal takes in a while"
                    + (wait is { } seconds ? $"; try again in {Math.Ceiling(seconds.TotalSeconds)} s." : "; try again later."),
            },
        });
    }

    /// <summary>Believes X-Forwarded-For from the configured proxies only; before anything reads the client's address.</summary>
    public static WebApplication UseTrustedProxies(this WebApplication app)
    {
        app.UseForwardedHeaders();
        return app;
    }

    /// <summary>
    /// Reads the form of a POST to an endpoint limited per Open311 API key before the rate limiter runs, asynchronously
    /// and once (the endpoint gets the same parsed form): the limiter's partitioner is synchronous and must not read a
    /// body itself. A form the readers refuse fails here as it would in the endpoint (413, 400 through the error handling).
    /// </summary>
    public static WebApplication UseLimitKeysFromForms(this WebApplication app)
    {
        app.Use(async (http, next) =>
        {
            if (HttpMethods.IsPost(http.Request.Method) && http.Request.HasFormContentType
                && http.GetEndpoint()?.Metadata.GetMetadata<EnableRateLimitingAttribute>()?.PolicyName == Open311Posts)
            {
                await http.Request.ReadFormAsync(http.RequestAborted);
            }

            await next(http);
        });
        return app;
    }

    /// <summary>
    /// Open311 submissions count per <c>api_key</c>, the form field the endpoint checks (read before the limiter by
    /// <see cref="UseLimitKeysFromForms"/>), or per address without one. A made-up key buys nothing: the endpoint
    /// refuses it (403) before anything is stored. Reads are not counted.
    /// </summary>
    private static RateLimitPartition<string> Open311Partition(HttpContext http, RequestLimit limit) =>
        !HttpMethods.IsPost(http.Request.Method)
            ? RateLimitPartition.GetNoLimiter("exempt")
            : http.Features.Get<Microsoft.AspNetCore.Http.Features.IFormFeature>()?.Form?["api_key"].ToString() is { Length: > 0 } key
                ? Window("open311:" + key, limit)
                : Window("open311@" + ClientOf(http), limit);

    /// <summary>The client's address as the limits count it (after <see cref="UseTrustedProxies"/>).</summary>
    public static string ClientOf(HttpContext http) => http.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    private static void Add(RateLimiterOptions limiter, string policy, RequestLimit limit) =>
        limiter.AddPolicy(policy, http => Partition(http, limit));

    /// <summary>Reads and signed-in staff are not counted; anyone else counts against their address.</summary>
    private static RateLimitPartition<string> Partition(HttpContext http, RequestLimit limit) =>
        HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method) || http.User.Identity?.IsAuthenticated == true
            ? RateLimitPartition.GetNoLimiter("exempt")
            : Window(ClientOf(http), limit);

    private static RateLimitPartition<string> Window(string key, RequestLimit limit) =>
        RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = Math.Max(1, limit.Permits),
            Window = limit.Window > TimeSpan.Zero ? limit.Window : TimeSpan.FromMinutes(1),
            QueueLimit = 0,
        });
}
