using System.Net;
using CitizenSensor.Features.Staff;
using CitizenSensor.Tests.Features.Reports;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.Extensions.DependencyInjection;

namespace CitizenSensor.Tests.Infrastructure;

/// <summary>
/// Errors for people: a browser gets a page in the site's layout and language with a way back; API clients keep
/// problem+json. The app has a test-only path that fails (<see cref="FailingCitizenApp"/>).
/// </summary>
public sealed class ErrorPagesTests(ErrorPagesTests.FailingCitizenApp app) : IClassFixture<ErrorPagesTests.FailingCitizenApp>
{
    private const string Browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_browser_sending_a_control_character_in_the_query_gets_the_400_page()
    {
        var response = await app.CreateClient().SendAsync(Get("/reports/nearby?q=a%00b"), Cancel);

        var html = await PageAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains("<html lang=\"vi\">", html, StringComparison.Ordinal);
        Assert.Contains("class=\"site-header\"", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/no/such/page")]
    [InlineData("/v/NOSUCHVENUE")]
    [InlineData("/venues/NOSUCHVENUE/poster")]
    public async Task A_browser_asking_for_what_is_not_there_gets_the_404_page_in_Vietnamese(string path)
    {
        var response = await app.CreateClient().SendAsync(Get(path), Cancel);

        var html = await PageAsync(response, HttpStatusCode.NotFound);
        Assert.Contains("<html lang=\"vi\">", html, StringComparison.Ordinal);
        Assert.Contains("Không tìm thấy trang", html, StringComparison.Ordinal);
        Assert.Contains("<a href=\"/\" id=\"error-home\">Về trang chủ</a>", html, StringComparison.Ordinal);
        Assert.Contains("class=\"site-header\"", html, StringComparison.Ordinal); // in the layout
        Assert.DoesNotContain("error-reference", html, StringComparison.Ordinal);
        // The language switch returns to the page that was asked for, not to /error.
        Assert.Contains($"returnUrl={Uri.EscapeDataString(path)}\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_404_page_is_English_by_the_browser_language_or_the_language_cookie()
    {
        var byBrowser = Get("/v/NOSUCHVENUE");
        byBrowser.Headers.AcceptLanguage.ParseAdd("en-GB,en;q=0.9");
        var byCookie = Get("/no/such/page");
        byCookie.Headers.Add("Cookie", ".AspNetCore.Culture=c%3Den%7Cuic%3Den");

        foreach (var request in new[] { byBrowser, byCookie })
        {
            var html = await PageAsync(await app.CreateClient().SendAsync(request, Cancel), HttpStatusCode.NotFound);
            Assert.Contains("<html lang=\"en\">", html, StringComparison.Ordinal);
            Assert.Contains("Page not found", html, StringComparison.Ordinal);
            Assert.Contains("Back to the home page", html, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("/v/NOSUCHVENUE", "application/json")]
    [InlineData("/v/NOSUCHVENUE", "*/*")]
    [InlineData("/v/NOSUCHVENUE", null)]
    [InlineData("/api/v1/venues/NOSUCHVENUE", Browser)]
    [InlineData("/api/v1/nothing-here", Browser)]
    public async Task API_clients_and_API_paths_keep_problem_details(string path, string? accept)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (accept is not null)
        {
            request.Headers.Accept.ParseAdd(accept);
        }

        await (await app.CreateClient().SendAsync(request, Cancel)).ReadProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_signed_in_viewer_opening_an_admin_page_is_told_not_permitted_not_sent_to_sign_in()
    {
        var viewer = await app.CreateStaffAsync(StaffRoles.Viewer, "760");
        var pages = await StaffPages.SignInAsync(app, viewer.Email!);

        var html = await PageAsync(await pages.Client.SendAsync(Get("/staff/categories"), Cancel), HttpStatusCode.Forbidden);
        Assert.Contains("Không được phép", html, StringComparison.Ordinal);
        Assert.Contains("<a href=\"/staff\" id=\"error-staff\">Về trang cán bộ</a>", html, StringComparison.Ordinal);
        Assert.Contains("href=\"/staff/login?ReturnUrl=%2Fstaff%2Fcategories\" id=\"error-sign-in\">Đăng nhập bằng tài khoản khác", html, StringComparison.Ordinal);
        Assert.DoesNotContain("name=\"Password\"", html, StringComparison.Ordinal);

        // The same refusal to a client that does not ask for HTML is a problem, and the API's is too.
        await (await pages.Client.GetAsync("/staff/categories", Cancel)).ReadProblemAsync(HttpStatusCode.Forbidden);
        var api = await app.ClientWithTokenAsync(viewer.Email!);
        await (await api.SendAsync(Get("/api/v1/staff/categories"), Cancel)).ReadProblemAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Nobody_signed_in_is_still_sent_to_the_sign_in_page()
    {
        var response = await StaffPages.Anonymous(app).Client.SendAsync(Get("/staff/categories"), Cancel);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("http://localhost/staff/login?ReturnUrl=%2Fstaff%2Fcategories", response.Headers.Location?.ToString(), StringComparison.Ordinal);
        await (await app.CreateClient().SendAsync(Get("/api/v1/staff/categories"), Cancel)).ReadProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_report_outside_the_officers_units_is_the_404_page()
    {
        var code = await app.CreateClient().SubmitAsync(ReportClient.Valid()); // in Quận 1, Hồ Chí Minh City
        var admin = await StaffPages.SignInAsync(app, (await app.CreateStaffAsync(StaffRoles.Admin, null)).Email!);
        var officer = await StaffPages.SignInAsync(app, (await app.CreateStaffAsync(StaffRoles.UnitOfficer, "001")).Email!); // Ba Đình, Hà Nội

        Assert.Equal(HttpStatusCode.OK, (await admin.Client.SendAsync(Get($"/staff/reports/{code}"), Cancel)).StatusCode);
        var html = await PageAsync(await officer.Client.SendAsync(Get($"/staff/reports/{code}"), Cancel), HttpStatusCode.NotFound);
        Assert.Contains("Không tìm thấy trang", html, StringComparison.Ordinal);
        Assert.Contains("id=\"error-staff\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failure_is_the_500_page_with_the_request_id_and_nothing_of_the_exception()
    {
        var vietnamese = await PageAsync(await app.CreateClient().SendAsync(Get(FailingCitizenApp.FailingPath), Cancel), HttpStatusCode.InternalServerError);
        var englishRequest = Get(FailingCitizenApp.FailingPath);
        englishRequest.Headers.AcceptLanguage.ParseAdd("en");
        var english = await PageAsync(await app.CreateClient().SendAsync(englishRequest, Cancel), HttpStatusCode.InternalServerError);

        Assert.Contains("Đã có lỗi xảy ra", vietnamese, StringComparison.Ordinal);
        Assert.Contains("Something went wrong", english, StringComparison.Ordinal);
        foreach (var html in new[] { vietnamese, english })
        {
            Assert.Matches("id=\"error-reference\">[^<]+<code>[^<]+</code>", html);
            Assert.Contains("id=\"error-home\"", html, StringComparison.Ordinal);
            Assert.DoesNotContain(FailingCitizenApp.Secret, html, StringComparison.Ordinal);
            Assert.DoesNotContain(nameof(InvalidOperationException), html, StringComparison.Ordinal);
            Assert.DoesNotContain(nameof(FailingCitizenApp), html, StringComparison.Ordinal); // no stack trace
        }

        var problem = await (await app.CreateClient().GetAsync(FailingCitizenApp.FailingPath, Cancel)).ReadProblemAsync(HttpStatusCode.InternalServerError);
        Assert.DoesNotContain(FailingCitizenApp.Secret, problem.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_form_post_that_fails_gets_the_500_page_too()
    {
        var request = new HttpRequestMessage(HttpMethod.Post, FailingCitizenApp.FailingPath) { Content = new FormUrlEncodedContent([new("name", "x")]) };
        request.Headers.Accept.ParseAdd(Browser);

        var html = await PageAsync(await app.CreateClient().SendAsync(request, Cancel), HttpStatusCode.InternalServerError);

        Assert.Contains("Đã có lỗi xảy ra", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_error_page_that_fails_itself_ends_in_a_bare_500_not_a_loop()
    {
        var request = Get("/no/such/page");
        request.Headers.Add(FailingCitizenApp.BreakErrorPage, "yes");

        HttpResponseMessage response;
        try
        {
            response = await app.CreateClient().SendAsync(request, Cancel);
        }
        catch (InvalidOperationException failure) when (failure.Message == FailingCitizenApp.ErrorPageSecret)
        {
            return; // the in-memory test server hands the last unhandled exception to the client; Kestrel answers 500
        }

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.DoesNotContain(FailingCitizenApp.ErrorPageSecret, await response.Content.ReadAsStringAsync(Cancel), StringComparison.Ordinal);
    }

    private static HttpRequestMessage Get(string path)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.ParseAdd(Browser);
        return request;
    }

    private static async Task<string> PageAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var html = await response.Content.ReadAsStringAsync(Cancel);
        Assert.True(expected == response.StatusCode, $"Expected {(int)expected} but got {(int)response.StatusCode}: {html}");
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains($"data-status=\"{(int)expected}\"", html, StringComparison.Ordinal);
        return html;
    }

    /// <summary>
    /// The portal with, for these tests only, a path that throws (after the app's own middleware, so inside its error
    /// handling) and a switch (a request header) that makes the error page itself throw.
    /// </summary>
    public sealed class FailingCitizenApp : CitizenApp
    {
        public const string FailingPath = "/test/fail";
        public const string Secret = "secret-connection-string-Password=hunter2";
        public const string BreakErrorPage = "X-Test-Break-Error-Page";
        public const string ErrorPageSecret = "the error page failed too";

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Logging:LogLevel:Microsoft.AspNetCore.Diagnostics", "Critical"); // the failures are on purpose
            builder.ConfigureServices(services =>
            {
                services.AddSingleton<IStartupFilter, FailingPathFilter>();
                services.Configure<MvcOptions>(options => options.Filters.Add(new BreakingErrorPageFilter()));
            });
        }

        private sealed class FailingPathFilter : IStartupFilter
        {
            public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
            {
                next(app);
                app.Use((context, following) => context.Request.Path == FailingPath ? throw new InvalidOperationException(Secret) : following(context));
            };
        }

        private sealed class BreakingErrorPageFilter : IAsyncPageFilter
        {
            public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

            public Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next) =>
                context.HandlerInstance is CitizenSensor.Pages.ErrorModel && context.HttpContext.Request.Headers.ContainsKey(BreakErrorPage)
                    ? throw new InvalidOperationException(ErrorPageSecret)
                    : next();
        }
    }
}
