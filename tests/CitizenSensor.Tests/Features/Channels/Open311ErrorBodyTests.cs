using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace CitizenSensor.Tests.Features.Channels;

/// <summary>
/// The errors no Open311 handler writes itself are Open311 bodies too, in the path's format or else the accepted one:
/// a body that is not a form (415), an exception (500, nothing of it shown), and the rate limit, which counts per
/// api_key (429 with Retry-After; Open311RateLimitTests shows other keys go on). 404, 405 and 413 are in Open311Tests.
/// </summary>
public sealed class Open311ErrorBodyTests(Open311ErrorBodyTests.FailingApp app) : IClassFixture<Open311ErrorBodyTests.FailingApp>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("xml")]
    [InlineData("json")]
    public async Task A_text_plain_post_is_a_415_open311_error(string format)
    {
        using var body = new StringContent("service_code=general&description=x", System.Text.Encoding.UTF8, "text/plain");
        var response = await app.CreateClient().PostAsync($"/open311/v2/requests.{format}", body, Cancel);

        var errors = format == "xml" ? await response.ReadXmlErrorsAsync(HttpStatusCode.UnsupportedMediaType) : await response.ReadJsonErrorsAsync(HttpStatusCode.UnsupportedMediaType);
        Assert.Contains("form-encoded", Assert.Single(errors), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(FailingApp.FailingPath + ".xml", null, "xml")]
    [InlineData(FailingApp.FailingPath + ".json", "application/xml", "json")]
    [InlineData(FailingApp.FailingPath, "application/xml", "xml")]
    [InlineData(FailingApp.FailingPath, "application/json", "json")]
    public async Task An_exception_under_open311_is_a_500_open311_error_without_its_details(string path, string? accept, string format)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (accept is not null)
        {
            request.Headers.Accept.ParseAdd(accept);
        }

        var response = await app.CreateClient().SendAsync(request, Cancel);

        var errors = format == "xml" ? await response.ReadXmlErrorsAsync(HttpStatusCode.InternalServerError) : await response.ReadJsonErrorsAsync(HttpStatusCode.InternalServerError);
        Assert.DoesNotContain(FailingApp.Secret, Assert.Single(errors), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Over_the_limit_a_key_gets_an_open311_429_in_json_and_reads_are_not_counted()
    {
        var key = await app.IssueKeyAsync("Ứng dụng JSON");
        var other = await app.IssueKeyAsync("Ứng dụng khác");
        Dictionary<string, string> Fields(string k) => new()
        {
            ["api_key"] = k,
            ["service_code"] = "general",
            ["address_string"] = "phường Bến Nghé, quận 1",
            ["description"] = "Đèn đường hỏng cả dãy phố từ tuần trước",
        };

        Assert.Equal(HttpStatusCode.Created, (await app.CreateClient().PostRequestAsync("json", Fields(key))).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await app.CreateClient().PostRequestAsync("json", Fields(key))).StatusCode);
        var limited = await app.CreateClient().PostRequestAsync("json", Fields(key));
        Assert.Contains("try again in", Assert.Single(await limited.ReadJsonErrorsAsync(HttpStatusCode.TooManyRequests)), StringComparison.Ordinal);
        Assert.True(limited.Headers.RetryAfter?.Delta > TimeSpan.Zero);

        // Reads are not counted; another key from the same address still files.
        Assert.Equal(HttpStatusCode.OK, (await app.CreateClient().GetAsync("/open311/v2/services.json", Cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await app.CreateClient().PostRequestAsync("json", Fields(other))).StatusCode);
    }

    public sealed class FailingApp : CitizenApp
    {
        public const string FailingPath = "/open311/v2/test-failure";
        public const string Secret = "secret-in-the-exception";

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Open311:PostsPerMinute", "2");
            builder.UseSetting("Logging:LogLevel:Microsoft.AspNetCore.Diagnostics", "Critical"); // the failure is on purpose
            builder.ConfigureServices(services => services.AddSingleton<IStartupFilter, FailingPathFilter>());
        }

        private sealed class FailingPathFilter : IStartupFilter
        {
            public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
            {
                next(app);
                app.Use((context, following) => context.Request.Path.StartsWithSegments(FailingPath, StringComparison.Ordinal)
                    || context.Request.Path.Value!.StartsWith(FailingPath + ".", StringComparison.Ordinal)
                    ? throw new InvalidOperationException(Secret)
                    : following(context));
            };
        }
    }
}
