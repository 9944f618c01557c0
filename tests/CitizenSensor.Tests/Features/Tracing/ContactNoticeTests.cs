using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using CitizenSensor.Infrastructure;
using CitizenSensor.Tests.Features.Channels;
using CitizenSensor.Tests.Features.Venues;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace CitizenSensor.Tests.Features.Tracing;

/// <summary>
/// The people a trace finds are told: by SMS through the gateway (its stand-in checks the signed contract), by e-mail
/// through the real mail server when they gave an address at a check-in, and on /my-qr and /v/… when their phone opens
/// them. The messages say where, when and what to do; nothing says who the case is.
/// </summary>
public sealed partial class ContactNoticeTests(ContactNoticeTests.NoticeApp app) : IClassFixture<ContactNoticeTests.NoticeApp>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task F1s_are_told_by_sms_and_email_once_and_their_pages_show_what_to_do()
    {
        var t = app.Time.GetUtcNow().AddDays(-1);
        var venue = (await app.CreateClient().RegisterAsync(VenueClient.NewVenue(name: "Quán Phở Thìn Lò Đúc", ward: Timeline.Ward))).Str("code")!;
        var (f0, withMail, phoneOnly, stranger) = (VenueClient.NewPhone(), VenueClient.NewPhone(), VenueClient.NewPhone(), VenueClient.NewPhone());
        await ContactTaskTests.CheckInAsync(app, venue, f0, "Trần Thị Bình", t, t.AddMinutes(60));
        var checkIn = await app.CreateClient().PostAsJsonAsync("/api/v1/checkins",
            new { venueCode = venue, phone = withMail, email = " Resident@Mail.test ", at = t.AddMinutes(10), checkOutAt = t.AddMinutes(40) }, Cancel);
        await checkIn.ReadJsonAsync(HttpStatusCode.Created);
        await ContactTaskTests.CheckInAsync(app, venue, phoneOnly, null, t.AddMinutes(20), t.AddMinutes(30));

        var (officer, id) = await app.OpenCaseAsync(f0);
        Assert.Equal(2, (await officer.TraceAsync(id)).GetProperty("notified").GetInt32());

        var texts = new[] { await app.Sms.NextAsync(), await app.Sms.NextAsync() };
        Assert.Equal(new[] { "+84" + withMail[1..], "+84" + phoneOnly[1..] }.Order(StringComparer.Ordinal), texts.Select(m => m.To).Order(StringComparer.Ordinal));
        var until = CityTime.DayOf(t).AddDays(14).ToString("dd/MM/yyyy", System.Globalization.CultureInfo.InvariantCulture);
        foreach (var sms in texts)
        {
            Assert.Equal("ucs2", sms.Encoding);
            Assert.Equal("1022", sms.Sender);
            Assert.Contains("Quán Phở Thìn Lò Đúc", sms.Text, StringComparison.Ordinal);
            Assert.Contains($"cách ly tại nhà đến hết ngày {until}", sms.Text, StringComparison.Ordinal);
            Assert.Contains($"Quarantine at home until the end of {until}", sms.Text, StringComparison.Ordinal);
            Assert.DoesNotContain("Trần Thị Bình", sms.Text, StringComparison.Ordinal);
            Assert.DoesNotContain(f0, sms.Text, StringComparison.Ordinal);
        }

        var mail = Assert.Single(await app.Mail.WaitForAsync(MailServer.ResidentAddress, m => m.Subject?.StartsWith("Thông báo y tế", StringComparison.Ordinal) == true));
        Assert.Equal("Thông báo y tế / Health notice", mail.Subject);
        Assert.Contains("Quán Phở Thìn Lò Đúc", mail.TextBody!, StringComparison.Ordinal);
        Assert.Contains("http://portal.test/my-qr", mail.TextBody!, StringComparison.Ordinal);
        Assert.DoesNotContain("Trần Thị Bình", mail.TextBody!, StringComparison.Ordinal);
        Assert.Empty(app.Sms.Refused);

        // Tracing again tells nobody twice.
        Assert.Equal(0, (await officer.TraceAsync(id)).GetProperty("notified").GetInt32());
        Assert.True(await app.Sms.NothingWithinAsync(TimeSpan.FromSeconds(1.5)));

        // The pages: the day and what to do, never where, when exactly or who; nothing for a phone that met no case.
        var page = await MyQrAsync(phoneOnly);
        Assert.Contains("id=\"health-notice\"", page, StringComparison.Ordinal);
        Assert.Contains($"đến hết ngày {until}", WebUtility.HtmlDecode(page), StringComparison.Ordinal);
        Assert.DoesNotContain("Phở Thìn", WebUtility.HtmlDecode(page), StringComparison.Ordinal);
        Assert.DoesNotContain("Trần Thị Bình", WebUtility.HtmlDecode(page), StringComparison.Ordinal);
        Assert.DoesNotContain("health-notice", await MyQrAsync(stranger), StringComparison.Ordinal);
        var checkedIn = await CheckInPageAsync(await app.VenueAsync(), withMail);
        Assert.Contains("id=\"health-notice\"", checkedIn, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_gateway_in_trouble_is_tried_again_and_a_bad_address_is_refused_at_check_in()
    {
        var t = app.Time.GetUtcNow().AddDays(-1);
        var venue = await app.VenueAsync();
        var (f0, contact) = (VenueClient.NewPhone(), VenueClient.NewPhone());
        await ContactTaskTests.CheckInAsync(app, venue, f0, null, t, t.AddMinutes(60));
        await ContactTaskTests.CheckInAsync(app, venue, contact, null, t.AddMinutes(10), t.AddMinutes(30));
        var bad = await (await app.CreateClient().PostAsJsonAsync("/api/v1/checkins", new { venueCode = venue, phone = contact, email = "not an address<script>" }, Cancel)).ReadProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(bad.GetProperty("errors").TryGetProperty("email", out _));

        app.Sms.AnswerNext(503);
        var (officer, id) = await app.OpenCaseAsync(f0);
        await officer.TraceAsync(id);
        Assert.True(await app.Sms.NothingWithinAsync(TimeSpan.FromSeconds(1)));
        app.Time.Advance(TimeSpan.FromSeconds(31)); // the outbox's first retry delay
        var sms = await app.Sms.NextAsync();
        Assert.Equal("+84" + contact[1..], sms.To);
        Assert.Empty(app.Sms.Refused);
    }

    private async Task<string> MyQrAsync(string phone) => await PostFormAsync("/my-qr", phone);

    private async Task<string> CheckInPageAsync(string venue, string phone) => await PostFormAsync($"/v/{venue}", phone);

    private async Task<string> PostFormAsync(string path, string phone)
    {
        var client = app.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = true });
        var form = await client.GetStringAsync(path, Cancel);
        var token = WebUtility.HtmlDecode(Token().Match(form).Groups[1].Value);
        var response = await client.PostAsync(path, new FormUrlEncodedContent(new Dictionary<string, string> { ["Phone"] = phone, ["__RequestVerificationToken"] = token }), Cancel);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync(Cancel);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex Token();

    /// <summary>The app with the SMS gateway's stand-in and the real mail server.</summary>
    public sealed class NoticeApp : EmailTests.EmailApp
    {
        public SmsGateway Sms { get; private set; } = null!;

        public override async ValueTask InitializeAsync()
        {
            Sms = await SmsGateway.StartAsync(() => Time.GetUtcNow());
            await base.InitializeAsync();
        }

        public override async ValueTask DisposeAsync()
        {
            await base.DisposeAsync();
            await Sms.DisposeAsync();
        }

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Sms:GatewayUrl", Sms.Url.ToString());
            builder.UseSetting("Sms:Secret", SmsGateway.Secret);
            builder.UseSetting("Sms:AllowPrivateNetworks", "true");
        }
    }
}
