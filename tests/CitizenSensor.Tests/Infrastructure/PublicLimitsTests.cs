using System.Net;
using System.Net.Http.Json;
using CitizenSensor.Features.Staff;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace CitizenSensor.Tests.Infrastructure;

/// <summary>
/// Every public write is limited per client address with ASP.NET Core's rate limiter (two of each kind a window in this
/// app): the next answers 429 with Retry-After, as ProblemDetails for API clients and as the error page in Vietnamese for
/// browsers; reads are not counted, nor is signed-in staff; X-Forwarded-For counts only from a trusted proxy.
/// </summary>
public sealed class PublicLimitsTests(PublicLimitsTests.LimitsApp app) : IClassFixture<PublicLimitsTests.LimitsApp>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public static TheoryData<string, string> Writes() => new()
    {
        { "reports", "/api/v1/reports" },
        { "declarations", "/api/v1/declarations" },
        { "check-ins", "/api/v1/checkins" },
        { "check-in batches", "/api/v1/checkins/batch" },
        { "check-outs", "/api/v1/checkins/checkout" },
        { "passes", "/api/v1/checkins/passes" },
        { "venue registrations", "/api/v1/venues" },
        { "sign-in (API)", "/api/v1/auth/tokens" },
        { "following", "/api/v1/reports/ABCDEFGHJK/followers" },
    };

    [Theory]
    [MemberData(nameof(Writes))]
    public async Task The_third_write_of_a_kind_from_one_address_gets_429_with_retry_after(string kind, string path)
    {
        var client = From($"198.51.100.{10 + Math.Abs(kind.GetHashCode(StringComparison.Ordinal) % 180)}");
        for (var i = 0; i < 2; i++)
        {
            var allowed = await client.PostAsJsonAsync(path, new { }, Cancel);
            Assert.NotEqual(HttpStatusCode.TooManyRequests, allowed.StatusCode);
            Assert.True((int)allowed.StatusCode < 500, $"{kind}: {allowed.StatusCode}");
        }

        var refused = await client.PostAsJsonAsync(path, new { }, Cancel);
        var problem = await refused.ReadProblemAsync(HttpStatusCode.TooManyRequests);
        Assert.Contains("try again in", problem.Str("detail"), StringComparison.Ordinal);
        Assert.True(refused.Headers.RetryAfter?.Delta > TimeSpan.Zero, kind);
    }

    [Fact]
    public async Task A_browser_posting_the_form_too_often_gets_the_error_page_in_its_language()
    {
        var client = From("198.51.100.200");
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/report", Cancel)).StatusCode); // reading the form is not counted
        }

        for (var i = 0; i < 2; i++)
        {
            using var allowed = FormPost("/report");
            Assert.NotEqual(HttpStatusCode.TooManyRequests, (await client.SendAsync(allowed, Cancel)).StatusCode);
        }

        using var request = FormPost("/report");
        var refused = await client.SendAsync(request, Cancel);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("text/html", refused.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Gửi quá nhiều lần", await refused.Content.ReadAsStringAsync(Cancel), StringComparison.Ordinal);
        Assert.NotNull(refused.Headers.RetryAfter);
    }

    [Fact]
    public async Task Signed_in_staff_are_not_counted()
    {
        var (officer, _) = await app.SignedInAsync(StaffRoles.UnitOfficer, "760");
        for (var i = 0; i < 4; i++)
        {
            Assert.NotEqual(HttpStatusCode.TooManyRequests, (await officer.PostAsJsonAsync("/api/v1/reports", new { }, Cancel)).StatusCode);
        }
    }

    [Fact]
    public async Task Forwarded_addresses_count_only_when_a_trusted_proxy_sends_them()
    {
        // Behind the trusted proxy, two residents each have their own allowance.
        foreach (var resident in new[] { "203.0.113.1", "203.0.113.2" })
        {
            var viaProxy = From(LimitsApp.Proxy, resident);
            for (var i = 0; i < 2; i++)
            {
                Assert.NotEqual(HttpStatusCode.TooManyRequests, (await viaProxy.PostAsJsonAsync("/api/v1/venues", new { }, Cancel)).StatusCode);
            }
        }

        // Anyone else claiming to forward counts as themselves, whatever address they name.
        for (var i = 0; i < 2; i++)
        {
            var forged = From("198.51.100.250", $"203.0.113.{100 + i}");
            Assert.NotEqual(HttpStatusCode.TooManyRequests, (await forged.PostAsJsonAsync("/api/v1/venues", new { }, Cancel)).StatusCode);
        }

        var third = From("198.51.100.250", "203.0.113.199");
        Assert.Equal(HttpStatusCode.TooManyRequests, (await third.PostAsJsonAsync("/api/v1/venues", new { }, Cancel)).StatusCode);
    }

    private HttpClient From(string peer, string? forwardedFor = null)
    {
        var client = app.CreateClient();
        client.DefaultRequestHeaders.Add(LimitsApp.PeerHeader, peer);
        if (forwardedFor is not null)
        {
            client.DefaultRequestHeaders.Add("X-Forwarded-For", forwardedFor);
        }

        return client;
    }

    private static HttpRequestMessage FormPost(string path)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["Form.Description"] = "x" }) };
        request.Headers.Accept.ParseAdd("text/html");
        request.Headers.AcceptLanguage.ParseAdd("vi");
        return request;
    }

    public sealed class LimitsApp : CitizenApp
    {
        /// <summary>The test server has no socket: this header stands for the connecting peer's address.</summary>
        public const string PeerHeader = "X-Test-Peer";

        public const string Proxy = "10.0.0.7";

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            foreach (var limit in new[] { "Reports", "Declarations", "Following", "CheckIns", "Passes", "VenueRegistrations", "SignIn" })
            {
                builder.UseSetting($"RateLimits:{limit}:Permits", "2");
                builder.UseSetting($"RateLimits:{limit}:Window", "01:00:00");
            }

            builder.UseSetting("Reports:EmailReporters", "true");
            builder.UseSetting("Email:PublicBaseUrl", "http://portal.test");
            builder.UseSetting("RateLimits:TrustedProxies:0", Proxy);
            builder.ConfigureServices(services => services.AddSingleton<IStartupFilter, PeerFilter>());
        }

        private sealed class PeerFilter : IStartupFilter
        {
            public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
            {
                app.Use((context, following) =>
                {
                    context.Connection.RemoteIpAddress = IPAddress.Parse(context.Request.Headers[PeerHeader].ToString() is { Length: > 0 } peer ? peer : "10.9.9.9");
                    return following(context);
                });
                next(app);
            };
        }
    }
}
