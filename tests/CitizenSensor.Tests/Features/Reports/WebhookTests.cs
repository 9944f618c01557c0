using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CitizenSensor.Features.Reports.Webhooks;
using CitizenSensor.Features.Staff;
using Microsoft.AspNetCore.Hosting;

namespace CitizenSensor.Tests.Features.Reports;

/// <summary>
/// The per-report webhook for app back-ends: every status change is posted, signed as Standard Webhooks says,
/// in order, and retried on a schedule; a 410 stops it. The receiver is a real HTTP server on a loopback port,
/// so this app allows private networks (the guard is tested by <see cref="WebhookGuardTests"/>).
/// </summary>
public sealed class WebhookTests(WebhookTests.LoopbackApp app) : IClassFixture<WebhookTests.LoopbackApp>
{
    private const string Quan1 = "760";
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Each_status_change_reaches_the_webhook_signed_and_in_order()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var url = new Uri(receiver.Address, "/hooks/citizen-app").ToString();
        var (created, key) = await SubmitAsync(url);
        var code = created.Str("code");
        var secret = created.GetProperty("webhook").Str("secret");
        Assert.StartsWith("whsec_", secret, StringComparison.Ordinal);
        Assert.Equal(url, created.GetProperty("webhook").Str("url"));

        var routed = await receiver.NextAsync();
        var (officer, _) = await app.SignedInAsync(StaffRoles.UnitOfficer, Quan1);
        await (await officer.PostAsJsonAsync($"/api/v1/staff/reports/{code}/accept", new { }, Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        var accepted = await receiver.NextAsync();
        await (await officer.PostAsJsonAsync($"/api/v1/staff/reports/{code}/resolve", new { result = "Đã kiểm tra và nhắc nhở chủ quán đóng cửa đúng giờ." }, Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        var resolved = await receiver.NextAsync();

        Assert.Equal(["routed", "in-progress", "resolved"], new[] { routed, accepted, resolved }.Select(m => Data(m).Str("status")));
        foreach (var message in new[] { routed, accepted, resolved })
        {
            Assert.Equal("/hooks/citizen-app", message.Path);
            Assert.Equal(code, Data(message).Str("code"));
            Assert.Equal("report.status-changed", JsonDocument.Parse(message.Body).RootElement.Str("type"));
            Assert.Equal(app.Time.GetUtcNow().ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture), message.Headers["webhook-timestamp"]);
            AssertSigned(message, secret);
        }

        Assert.Equal(3, new[] { routed, accepted, resolved }.Select(m => m.Headers["webhook-id"]).Distinct().Count());
        Assert.Equal("Đã kiểm tra và nhắc nhở chủ quán đóng cửa đúng giờ.", Data(resolved).Str("result"));
        Assert.DoesNotContain("reporter", resolved.Body, StringComparison.OrdinalIgnoreCase);

        // The receiver answered; the sender records it a moment later.
        var deliveries = await WaitForDeliveriesAsync(officer, code, all => all.GetArrayLength() == 3 && all.EnumerateArray().All(d => d.Str("state") == "delivered"));
        Assert.Equal(["routed", "in-progress", "resolved"], deliveries.EnumerateArray().Select(d => d.Str("status")));

        // A retry of the submission returns the same report and the same secret; the public view never shows it.
        var (replayed, _) = await SubmitAsync(url, key);
        Assert.Equal(secret, replayed.GetProperty("webhook").Str("secret"));
        var publicView = await app.CreateClient().GetStringAsync($"/api/v1/reports/{code}", Cancel);
        Assert.DoesNotContain(secret, publicView, StringComparison.Ordinal);
        Assert.DoesNotContain("webhook", publicView, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_failed_delivery_is_retried_on_schedule_with_the_same_id_then_delivered()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.AnswerNext(500);
        var (created, _) = await SubmitAsync(new Uri(receiver.Address, "/hook").ToString());
        var code = created.Str("code");
        var (officer, _) = await app.SignedInAsync(StaffRoles.UnitOfficer, Quan1);

        var first = await receiver.NextAsync();
        var pending = await WaitForDeliveryAsync(officer, code, d => d.GetProperty("attempts").GetInt32() == 1);
        Assert.Equal("pending", pending.Str("state"));
        Assert.Equal(500, pending.GetProperty("lastStatusCode").GetInt32());
        Assert.Contains("500", pending.Str("lastError"), StringComparison.Ordinal);
        Assert.Equal(app.Time.GetUtcNow().AddSeconds(30), pending.GetProperty("nextAttemptAt").GetDateTimeOffset());
        Assert.True(await receiver.NothingWithinAsync(TimeSpan.FromSeconds(1)), "retried before its time");

        app.Time.Advance(TimeSpan.FromSeconds(31));
        var second = await receiver.NextAsync();

        Assert.Equal(first.Headers["webhook-id"], second.Headers["webhook-id"]);
        Assert.Equal(first.Body, second.Body);
        var delivered = await WaitForDeliveryAsync(officer, code, d => d.Str("state") == "delivered");
        Assert.Equal(2, delivered.GetProperty("attempts").GetInt32());
    }

    [Fact]
    public async Task A_delivery_that_keeps_failing_is_given_up_after_the_last_retry()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var delays = new WebhookOptions().RetryDelays;
        receiver.AnswerNext([.. Enumerable.Repeat(503, delays.Length + 1)]);
        var (created, _) = await SubmitAsync(new Uri(receiver.Address, "/hook").ToString());
        var code = created.Str("code");
        var (officer, _) = await app.SignedInAsync(StaffRoles.UnitOfficer, Quan1);

        await receiver.NextAsync();
        foreach (var (delay, attempt) in delays.Select((d, i) => (d, i + 1)))
        {
            await WaitForDeliveryAsync(officer, code, d => d.GetProperty("attempts").GetInt32() == attempt);
            app.Time.Advance(delay);
            await receiver.NextAsync();
        }

        var gaveUp = await WaitForDeliveryAsync(officer, code, d => d.Str("state") == "gave-up");
        Assert.Equal(delays.Length + 1, gaveUp.GetProperty("attempts").GetInt32());
        app.Time.Advance(TimeSpan.FromDays(1));
        Assert.True(await receiver.NothingWithinAsync(TimeSpan.FromSeconds(1)), "sent again after giving up");
    }

    [Fact]
    public async Task Gone_stops_every_further_message_about_the_report()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.AnswerNext(410);
        var (created, _) = await SubmitAsync(new Uri(receiver.Address, "/hook").ToString());
        var code = created.Str("code");
        var (officer, _) = await app.SignedInAsync(StaffRoles.UnitOfficer, Quan1);

        await receiver.NextAsync();
        await WaitForDeliveryAsync(officer, code, d => d.Str("state") == "gave-up");
        await (await officer.PostAsJsonAsync($"/api/v1/staff/reports/{code}/accept", new { }, Cancel)).ReadJsonAsync(HttpStatusCode.OK);

        Assert.True(await receiver.NothingWithinAsync(TimeSpan.FromSeconds(1.5)), "sent after 410 Gone");
        var deliveries = await (await officer.GetAsync($"/api/v1/staff/reports/{code}/webhook-deliveries", Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(1, deliveries.GetArrayLength());
    }

    [Fact]
    public async Task Another_units_officer_cannot_see_the_deliveries()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var (created, _) = await SubmitAsync(new Uri(receiver.Address, "/hook").ToString());
        var (quan3, _) = await app.SignedInAsync(StaffRoles.UnitOfficer, "770");

        var response = await quan3.GetAsync($"/api/v1/staff/reports/{created.Str("code")}/webhook-deliveries", Cancel);

        await response.ReadProblemAsync(HttpStatusCode.NotFound);
    }

    private async Task<(JsonElement Created, string Key)> SubmitAsync(string webhookUrl, string? key = null)
    {
        key ??= Guid.NewGuid().ToString();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/reports")
        {
            Content = JsonContent.Create(new
            {
                description = "Quán cà phê trên đường Lê Thánh Tôn vẫn cho khách ngồi uống tại chỗ, không ai đeo khẩu trang",
                address = "phường Bến Nghé, quận 1",
                webhookUrl,
            }),
        };
        request.Headers.Add("Idempotency-Key", key);
        var response = await app.CreateClient().SendAsync(request, Cancel);
        return (await response.ReadJsonAsync(HttpStatusCode.Created), key);
    }

    private static JsonElement Data(WebhookReceiver.Received message) => JsonDocument.Parse(message.Body).RootElement.GetProperty("data").Clone();

    /// <summary>Checks the signature the way a receiver would, written from the Standard Webhooks specification.</summary>
    private static void AssertSigned(WebhookReceiver.Received message, string secret)
    {
        var signedContent = $"{message.Headers["webhook-id"]}.{message.Headers["webhook-timestamp"]}.{message.Body}";
        var expected = "v1," + Convert.ToBase64String(HMACSHA256.HashData(Convert.FromBase64String(secret["whsec_".Length..]), Encoding.UTF8.GetBytes(signedContent)));
        Assert.Contains(expected, message.Headers["webhook-signature"].Split(' '));
    }

    private static async Task<JsonElement> WaitForDeliveryAsync(HttpClient staff, string code, Func<JsonElement, bool> condition) =>
        (await WaitForDeliveriesAsync(staff, code, all => all.GetArrayLength() > 0 && condition(all[0])))[0];

    /// <summary>Polls the staff view of a report's deliveries until the condition holds (bounded; not a timing assertion).</summary>
    internal static async Task<JsonElement> WaitForDeliveriesAsync(HttpClient staff, string code, Func<JsonElement, bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            var deliveries = await (await staff.GetAsync($"/api/v1/staff/reports/{code}/webhook-deliveries", Cancel)).ReadJsonAsync(HttpStatusCode.OK);
            if (condition(deliveries))
            {
                return deliveries;
            }

            Assert.True(DateTime.UtcNow < deadline, $"The delivery did not reach the expected state: {deliveries.GetRawText()}");
            await Task.Delay(50, Cancel);
        }
    }

    public sealed class LoopbackApp : CitizenApp
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Reports:Webhooks:AllowHttp", "true");
            builder.UseSetting("Reports:Webhooks:AllowPrivateNetworks", "true");
            builder.UseSetting("Reports:Webhooks:PollInterval", "00:00:00.100");
        }
    }
}

/// <summary>With the default guard, a webhook never reaches a loopback, private or reserved address.</summary>
public sealed class WebhookGuardTests(WebhookGuardTests.HttpAllowedApp app) : IClassFixture<WebhookGuardTests.HttpAllowedApp>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_name_that_resolves_to_loopback_is_refused_when_sending()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var url = $"http://localhost:{receiver.Address.Port}/hook";
        var response = await app.CreateClient().PostAsJsonAsync("/api/v1/reports", new
        {
            description = "Quán karaoke trên đường Võ Văn Tần hát rất to tới khuya, ồn ào cả khu phố",
            address = "phường Võ Thị Sáu, quận 3",
            webhookUrl = url,
        }, Cancel);
        var code = (await response.ReadJsonAsync(HttpStatusCode.Created)).Str("code");
        var (triage, _) = await app.SignedInAsync(StaffRoles.Admin, null);

        var deliveries = await WebhookTests.WaitForDeliveriesAsync(triage, code, all => all.GetArrayLength() > 0 && all[0].Str("state") != "pending");

        Assert.Equal("gave-up", deliveries[0].Str("state"));
        Assert.Contains("loopback", deliveries[0].Str("lastError"), StringComparison.Ordinal);
        Assert.True(await receiver.NothingWithinAsync(TimeSpan.FromMilliseconds(500)), "the guard let a delivery through");
    }

    [Theory]
    [InlineData("8.8.8.8", true)]
    [InlineData("1.1.1.1", true)]
    [InlineData("172.32.0.1", true)]
    [InlineData("2001:4860:4860::8888", true)]
    [InlineData("127.0.0.1", false)]
    [InlineData("0.0.0.0", false)]
    [InlineData("10.0.0.1", false)]
    [InlineData("100.64.0.1", false)]
    [InlineData("169.254.169.254", false)]
    [InlineData("172.16.0.1", false)]
    [InlineData("192.168.1.1", false)]
    [InlineData("224.0.0.1", false)]
    [InlineData("255.255.255.255", false)]
    [InlineData("::1", false)]
    [InlineData("::", false)]
    [InlineData("fd00::1", false)]
    [InlineData("fe80::1", false)]
    [InlineData("::ffff:127.0.0.1", false)]
    [InlineData("64:ff9b::a00:1", false)]
    [InlineData("::127.0.0.1", false)]
    [InlineData("::8.8.8.8", false)]
    [InlineData("2002:7f00:1::1", false)]
    [InlineData("2002:a00:1::1", false)]
    [InlineData("2002:808:808::1", true)]
    [InlineData("2001:0:4136:e378:8000:63bf:3fff:fdd2", false)]
    [InlineData("64:ff9b:1::7f00:1", false)]
    public void Only_public_addresses_are_allowed(string address, bool allowed) =>
        Assert.Equal(allowed, NetworkGuard.IsPublic(IPAddress.Parse(address)));

    public sealed class HttpAllowedApp : CitizenApp
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Reports:Webhooks:AllowHttp", "true");
            builder.UseSetting("Reports:Webhooks:PollInterval", "00:00:00.100");
        }
    }
}
