using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.RegularExpressions;
using CitizenSensor.Data;
using CitizenSensor.Features.Reports;
using CitizenSensor.Features.Reports.Following;
using CitizenSensor.Features.Reports.Webhooks;
using CitizenSensor.Features.Staff;
using CitizenSensor.Tests.Features.Channels;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;

namespace CitizenSensor.Tests.Features.Reports;

/// <summary>
/// A resident who finds their problem already reported follows it by e-mail instead of filing it again: the tracking
/// page's form (or the app's API) sends a confirmation, the link in it opens a page whose button confirms, each later
/// change goes out to the confirmed address with a link to stop, and stopping deletes the sealed address. Sent through
/// the SMTP relay into Dovecot, as the e-mail channel is.
/// </summary>
public sealed partial class FollowingTests(EmailTests.EmailApp app) : IClassFixture<EmailTests.EmailApp>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_follower_confirms_gets_each_change_and_the_result_and_can_stop()
    {
        var token = EmailTests.Token();
        var client = app.CreateClient();
        var code = await client.SubmitAsync(new { description = $"Quán karaoke trên đường Pasteur, phường Bến Nghé, quận 1 hát to sau 23 giờ {token}", address = "Pasteur, phường Bến Nghé, quận 1" });
        Assert.Equal("routed", (await client.WaitProcessedAsync(code)).Str("status"));

        // The tracking page offers the form; a browser without JavaScript posts it.
        var browser = WebForm.Browser(app);
        var tracking = await browser.GetStringAsync($"/r/{code}", Cancel);
        Assert.Contains("id=\"follow\"", tracking, StringComparison.Ordinal);
        var sent = await PostAsync(browser, tracking, $"/r/{code}/follow", new() { ["email"] = MailServer.ChattyAddress });
        Assert.Equal(HttpStatusCode.OK, sent.StatusCode);
        Assert.Contains("id=\"follow-done\"", await sent.Content.ReadAsStringAsync(Cancel), StringComparison.Ordinal);

        var confirmation = (await app.Mail.WaitForAsync(MailServer.ChattyAddress, m => About(m, code))).Single();
        var link = LinkPattern().Match(confirmation.TextBody ?? "");
        Assert.True(link.Success, confirmation.TextBody);
        var path = link.Groups[1].Value;

        // Stored sealed, and the outbox names the follower, not the address.
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<CitizenDb>();
            var row = await db.Set<ReportFollower>().SingleAsync(f => db.Reports.Any(r => r.Id == f.ReportId && r.Code == code), Cancel);
            Assert.Null(row.ConfirmedAt);
            Assert.DoesNotContain("chatty", Encoding.UTF8.GetString(row.SealedAddress), StringComparison.OrdinalIgnoreCase);
            Assert.False(await db.Set<WebhookDelivery>().AnyAsync(d => d.Url.Contains("chatty"), Cancel));
        }

        // Unconfirmed: a change goes to nobody. Opening the link changes nothing until the button is pressed.
        var (officer, _) = await app.SignedInAsync(StaffRoles.UnitOfficer, "760");
        (await officer.PostAsJsonAsync($"/api/v1/staff/reports/{code}/accept", new { }, Cancel)).EnsureSuccessStatusCode();
        var page = await browser.GetStringAsync(path, Cancel);
        Assert.Contains("id=\"follow-confirm\"", page, StringComparison.Ordinal);
        Assert.Contains("c•••@mail.test", page, StringComparison.Ordinal);
        var confirmed = await PostAsync(browser, page, path + "?handler=Confirm", []);
        Assert.Contains("id=\"follow-done\"", await confirmed.Content.ReadAsStringAsync(Cancel), StringComparison.Ordinal);

        await (await officer.PostAsJsonAsync($"/api/v1/staff/reports/{code}/resolve", new { result = $"Đã nhắc nhở chủ quán {token}." }, Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        var result = (await app.Mail.WaitForAsync(MailServer.ChattyAddress, m => About(m, code) && (m.TextBody ?? "").Contains($"chủ quán {token}", StringComparison.Ordinal))).Single();
        Assert.Contains($"http://portal.test{path}", result.TextBody ?? "", StringComparison.Ordinal);
        var all = await app.Mail.WaitForAsync(MailServer.ChattyAddress, m => About(m, code), count: 2);
        Assert.DoesNotContain(all, m => (m.TextBody ?? "").Contains("Đang xử lý", StringComparison.Ordinal)); // the change before confirming was not sent

        // Stopping deletes the address.
        var stopPage = await browser.GetStringAsync(path, Cancel);
        var stopped = await PostAsync(browser, stopPage, path + "?handler=Stop", []);
        Assert.Contains("id=\"follow-done\"", await stopped.Content.ReadAsStringAsync(Cancel), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await browser.GetAsync(path, Cancel)).StatusCode);
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<CitizenDb>();
            Assert.False(await db.Set<ReportFollower>().AnyAsync(f => db.Reports.Any(r => r.Id == f.ReportId && r.Code == code), Cancel));
        }
    }

    [Fact]
    public async Task The_api_refuses_wrong_addresses_unknown_and_finished_reports_and_asking_twice_sends_one_confirmation()
    {
        var client = app.CreateClient();
        var code = await client.SubmitAsync(new { description = $"Rác thải đổ trộm ở đầu hẻm, phường Bến Nghé, quận 1 {EmailTests.Token()}", address = "phường Bến Nghé, quận 1" });
        Assert.Equal("routed", (await client.WaitProcessedAsync(code)).Str("status"));

        foreach (var wrong in new[] { "", "không phải e-mail", "\"<script>\"@example.org", "a@b", "x\u200b@mail.test", new string('a', 95) + "@mail.test" })
        {
            var refused = await client.PostAsJsonAsync($"/api/v1/reports/{code}/followers", new { email = wrong }, Cancel);
            var problem = await refused.ReadJsonAsync(HttpStatusCode.BadRequest);
            Assert.True(problem.GetProperty("errors").TryGetProperty("email", out _), wrong);
        }

        Assert.Equal(HttpStatusCode.NotFound, (await client.PostAsJsonAsync("/api/v1/reports/ZZZZZZZZZZ/followers", new { email = MailServer.BusyAddress }, Cancel)).StatusCode);

        Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsJsonAsync($"/api/v1/reports/{code}/followers", new { email = MailServer.BusyAddress }, Cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsJsonAsync($"/api/v1/reports/{code}/followers", new { email = "Busy@Mail.test " }, Cancel)).StatusCode);
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<CitizenDb>();
            var follower = await db.Set<ReportFollower>().SingleAsync(f => db.Reports.Any(r => r.Id == f.ReportId && r.Code == code), Cancel);
            Assert.Equal(1, await db.Set<WebhookDelivery>().CountAsync(d => d.Url == ReportFollowing.Recipient(follower.Id), Cancel));
        }

        var (officer, _) = await app.SignedInAsync(StaffRoles.UnitOfficer, "760");
        await (await officer.PostAsJsonAsync($"/api/v1/staff/reports/{code}/resolve", new { result = "Đã thu gom." }, Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(HttpStatusCode.Conflict, (await client.PostAsJsonAsync($"/api/v1/reports/{code}/followers", new { email = MailServer.ResidentAddress }, Cancel)).StatusCode);
        Assert.DoesNotContain("id=\"follow\"", await client.GetStringAsync($"/r/{code}", Cancel), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_forged_or_another_reports_link_opens_nothing()
    {
        var client = app.CreateClient();
        var code = await client.SubmitAsync(new { description = $"Đèn đường hỏng cả dãy, phường Bến Nghé, quận 1 {EmailTests.Token()}", address = "phường Bến Nghé, quận 1" });
        Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsJsonAsync($"/api/v1/reports/{code}/followers", new { email = MailServer.ResidentAddress }, Cancel)).StatusCode);
        ReportFollower follower;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<CitizenDb>();
            follower = await db.Set<ReportFollower>().AsNoTracking().SingleAsync(f => db.Reports.Any(r => r.Id == f.ReportId && r.Code == code), Cancel);
        }

        var browser = WebForm.Browser(app);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync(ReportFollower.LinkPath(code, follower.Id, follower.Token), Cancel)).StatusCode);
        using var asBrowser = new HttpRequestMessage(HttpMethod.Get, ReportFollower.LinkPath(code, follower.Id, (follower.Token[0] == 'A' ? "B" : "A") + follower.Token[1..]));
        asBrowser.Headers.Accept.ParseAdd("text/html");
        var forged = await browser.SendAsync(asBrowser, Cancel);
        Assert.Equal(HttpStatusCode.NotFound, forged.StatusCode);
        Assert.Contains("text/html", forged.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await browser.GetAsync(ReportFollower.LinkPath("ZZZZZZZZZZ", follower.Id, follower.Token), Cancel)).StatusCode);
    }

    private static bool About(MimeMessage message, string code) => (message.Subject ?? "").Contains($"#{code}]", StringComparison.Ordinal);

    private static async Task<HttpResponseMessage> PostAsync(HttpClient browser, string page, string path, Dictionary<string, string> fields)
    {
        fields["__RequestVerificationToken"] = WebUtility.HtmlDecode(TokenPattern().Match(page).Groups[1].Value);
        return await browser.PostAsync(path, new FormUrlEncodedContent(fields), Cancel);
    }

    [GeneratedRegex(@"http://portal\.test(/r/[A-Z0-9]+/follow/[0-9a-f]{32}/[A-Za-z0-9_-]+)")]
    private static partial Regex LinkPattern();

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();
}

/// <summary>Asking to follow is a public write that mails whoever is named: a few a minute per client address, then 429.</summary>
public sealed class FollowingLimitTests(FollowingLimitTests.LimitApp app) : IClassFixture<FollowingLimitTests.LimitApp>
{
    [Fact]
    public async Task The_fourth_request_in_a_minute_from_one_address_is_refused()
    {
        var cancel = TestContext.Current.CancellationToken;
        var client = app.CreateClient();
        var code = await client.SubmitAsync(new { description = "Lấn chiếm vỉa hè bán hàng, phường Bến Nghé, quận 1", address = "phường Bến Nghé, quận 1" });
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsJsonAsync($"/api/v1/reports/{code}/followers", new { email = $"nguoi{i}@mail.test" }, cancel)).StatusCode);
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, (await client.PostAsJsonAsync($"/api/v1/reports/{code}/followers", new { email = "nguoi3@mail.test" }, cancel)).StatusCode);
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CitizenDb>();
        Assert.Equal(3, await db.Set<ReportFollower>().CountAsync(f => db.Reports.Any(r => r.Id == f.ReportId && r.Code == code), cancel));
    }

    [Fact]
    public async Task The_sweep_forgets_unconfirmed_addresses_and_followers_of_long_finished_reports_only()
    {
        var cancel = TestContext.Current.CancellationToken;
        var now = app.Time.GetUtcNow();
        var old = now - ReportFollowing.Retention - TimeSpan.FromDays(1);
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CitizenDb>();
        var open = NewReport(ReportStatus.Routed, old);
        var finishedLongAgo = NewReport(ReportStatus.Resolved, old);
        var finishedToday = NewReport(ReportStatus.Resolved, now);
        db.Reports.AddRange(open, finishedLongAgo, finishedToday);
        var stale = Follower(open, old, confirmed: false);
        var kept = new[] { Follower(open, old, confirmed: true), Follower(open, now, confirmed: false), Follower(finishedToday, old, confirmed: true) };
        var gone = Follower(finishedLongAgo, old, confirmed: true);
        db.AddRange([stale, gone, .. kept]);
        await db.SaveChangesAsync(cancel);

        Assert.True(await scope.ServiceProvider.GetRequiredService<FollowerSweep>().RunOnceAsync(cancel) >= 2);

        var left = await db.Set<ReportFollower>().AsNoTracking().Select(f => f.Id).ToListAsync(cancel);
        Assert.DoesNotContain(stale.Id, left);
        Assert.DoesNotContain(gone.Id, left);
        Assert.All(kept, f => Assert.Contains(f.Id, left));
    }

    private static Report NewReport(ReportStatus status, DateTimeOffset at)
    {
        var report = new Report
        {
            Id = Guid.NewGuid(),
            Code = Report.NewCode(),
            Description = "Rác thải đổ trộm ở đầu hẻm",
            Channel = ReportChannels.Web,
            Status = status,
            CategoryCode = Category.Other,
            Confidence = 0.9,
            SubmittedAt = at,
            UnitCode = "760",
            UnitPath = "/79/760/",
        };
        report.Events.Add(new ReportEvent { ReportId = report.Id, At = at, Status = status });
        return report;
    }

    private static ReportFollower Follower(Report report, DateTimeOffset at, bool confirmed) => new()
    {
        Id = Guid.NewGuid(),
        ReportId = report.Id,
        AddressHash = Guid.NewGuid().ToByteArray(),
        SealedAddress = [1, 2, 3],
        Token = ReportFollower.NewToken(),
        CreatedAt = at,
        ConfirmedAt = confirmed ? at : null,
    };

    public sealed class LimitApp : CitizenApp
    {
        protected override void ConfigureWebHost(Microsoft.AspNetCore.Hosting.IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Reports:EmailReporters", "true");
            builder.UseSetting("Email:PublicBaseUrl", "http://portal.test");
            builder.UseSetting("RateLimits:Following:Permits", "3");
        }
    }
}
