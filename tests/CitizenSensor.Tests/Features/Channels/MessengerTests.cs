using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CitizenSensor.Features.Staff;
using CitizenSensor.Tests.Features.Reports;
using Microsoft.AspNetCore.Hosting;

namespace CitizenSensor.Tests.Features.Channels;

/// <summary>
/// The Facebook page on Messenger: the webhook's verification and signatures, a conversation becoming a report
/// (text, photo, shared location), follow-ups added to it, and every answer sent through the Send API, checked
/// against the documented request on a local HTTP server standing in for graph.facebook.com.
/// </summary>
public sealed class MessengerTests(MessengerTests.MessengerApp app) : IClassFixture<MessengerTests.MessengerApp>
{
    private const string Secret = "test-app-secret-1022";
    private const string PageToken = "PAGE-ACCESS-TOKEN";
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Facebook_verifies_the_webhook_with_the_configured_token_only()
    {
        var ok = await app.CreateClient().GetAsync($"/channels/facebook/webhook?hub.mode=subscribe&hub.verify_token=verify-1022&hub.challenge=1158201444", Cancel);
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal("1158201444", await ok.Content.ReadAsStringAsync(Cancel));

        await (await app.CreateClient().GetAsync("/channels/facebook/webhook?hub.mode=subscribe&hub.verify_token=wrong&hub.challenge=1", Cancel)).ReadProblemAsync(HttpStatusCode.Forbidden);
        await (await app.CreateClient().GetAsync("/channels/facebook/webhook?hub.verify_token=verify-1022&hub.challenge=1", Cancel)).ReadProblemAsync(HttpStatusCode.Forbidden);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("sha256=0000000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("sha1=abc")]
    [InlineData("other-secret")]
    public async Task A_missing_or_forged_signature_is_a_401_and_nothing_is_stored(string? signature)
    {
        var body = Event("psid-forged", "m-forged-" + Guid.NewGuid(), text: "Quán nhậu mở nhạc rất to cả đêm ở hẻm 12");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/channels/facebook/webhook") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (signature is not null)
        {
            request.Headers.Add("X-Hub-Signature-256", signature == "other-secret" ? Sign(body, "other-secret") : signature);
        }

        var response = await app.CreateClient().SendAsync(request, Cancel);

        Assert.Contains("X-Hub-Signature-256", (await response.ReadProblemAsync(HttpStatusCode.Unauthorized)).Str("detail"), StringComparison.Ordinal);
        Assert.True(await app.Graph.NothingWithinAsync(TimeSpan.FromMilliseconds(500)), "something was sent for a forged event");
    }

    [Fact]
    public async Task A_conversation_becomes_a_routed_report_and_every_answer_comes_back_on_messenger()
    {
        var psid = "24" + Random.Shared.NextInt64(1_000_000_000, 9_999_999_999);
        var photo = app.Graph.Serve($"/cdn/{psid}.jpg", await File.ReadAllBytesAsync(Path.Combine(AppContext.BaseDirectory, "Assets", "photo.jpg"), Cancel), "image/jpeg");

        // A shared location and a photo first: the page asks for a description.
        await PostAsync(Event(psid, "m1-" + psid, location: (10.7798, 106.6990), imageUrl: photo.ToString()));
        var prompt = await NextMessageAsync(psid);
        Assert.Equal("RESPONSE", prompt.Body.Str("messaging_type"));
        Assert.Contains("ít nhất 10 ký tự", prompt.Text, StringComparison.Ordinal);

        // The description files the report, with the location and the photo.
        await PostAsync(Event(psid, "m2-" + psid, text: "Quán cà phê vẫn cho khách ngồi uống tại chỗ, không ai đeo khẩu trang"));
        var ack = await NextMessageAsync(psid);
        Assert.Equal("RESPONSE", ack.Body.Str("messaging_type"));
        var code = ack.Text.Split(' ').Select(w => w.Trim('.', ':')).First(w => w.Length == 10 && w.All(c => char.IsDigit(c) || char.IsAsciiLetterUpper(c)));
        var routed = await NextMessageAsync(psid);
        Assert.Equal("MESSAGE_TAG", routed.Body.Str("messaging_type"));
        Assert.Equal("ACCOUNT_UPDATE", routed.Body.Str("tag"));
        Assert.Contains(code, routed.Text, StringComparison.Ordinal);
        Assert.Contains("Quận 1", routed.Text, StringComparison.Ordinal);

        var (officer, _) = await app.SignedInAsync(StaffRoles.UnitOfficer, "760");
        var detail = await (await officer.GetAsync($"/api/v1/staff/reports/{code}", Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal("facebook", detail.Str("channel"));
        Assert.Equal(10.7798, detail.GetProperty("lat").GetDouble(), 4);
        var attachment = Assert.Single(detail.GetProperty("attachments").EnumerateArray());
        Assert.True(attachment.GetProperty("metadataRemoved").GetBoolean());

        // A follow-up is added to the open report.
        await PostAsync(Event(psid, "m3-" + psid, text: "Bây giờ quán còn đông hơn, khoảng 30 người"));
        Assert.Contains(code, (await NextMessageAsync(psid)).Text, StringComparison.Ordinal);
        detail = await (await officer.GetAsync($"/api/v1/staff/reports/{code}", Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Contains(detail.GetProperty("notes").EnumerateArray(), n => n.Str("text").Contains("khoảng 30 người", StringComparison.Ordinal));

        // A photo sent later becomes one of the report's files (Facebook's links expire), stripped like the first.
        var later = app.Graph.Serve($"/cdn/{psid}-later.jpg", await File.ReadAllBytesAsync(Path.Combine(AppContext.BaseDirectory, "Assets", "photo.jpg"), Cancel), "image/jpeg");
        await PostAsync(Event(psid, "m4-" + psid, imageUrl: later.ToString()));
        Assert.Contains(code, (await NextMessageAsync(psid)).Text, StringComparison.Ordinal);
        detail = await (await officer.GetAsync($"/api/v1/staff/reports/{code}", Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(2, detail.GetProperty("attachments").GetArrayLength());
        Assert.All(detail.GetProperty("attachments").EnumerateArray(), a => Assert.True(a.GetProperty("metadataRemoved").GetBoolean()));
        Assert.Contains(detail.GetProperty("notes").EnumerateArray(), n => n.Str("text").StartsWith("(1/1 ", StringComparison.Ordinal));
        Assert.DoesNotContain(later.ToString(), detail.GetRawText(), StringComparison.Ordinal);

        // The result arrives on Messenger.
        await (await officer.PostAsJsonAsync($"/api/v1/staff/reports/{code}/resolve", new { result = "Đã kiểm tra, lập biên bản và yêu cầu quán chỉ bán mang về." }, Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        var resolved = await NextMessageAsync(psid);
        Assert.Contains("Đã kiểm tra, lập biên bản và yêu cầu quán chỉ bán mang về.", resolved.Text, StringComparison.Ordinal);
        Assert.Contains(code, resolved.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_message_facebook_delivers_twice_makes_one_report()
    {
        var psid = "25" + Random.Shared.NextInt64(1_000_000_000, 9_999_999_999);
        var body = Event(psid, "m-dup-" + psid, text: "Nhóm thanh niên tụ tập nhậu, hát karaoke tới khuya ở phường Bến Nghé, quận 1");

        await PostAsync(body);
        await PostAsync(body);

        var ack = await NextMessageAsync(psid);
        Assert.Contains("1022", ack.Text, StringComparison.Ordinal);
        await NextMessageAsync(psid); // routed or needs-triage
        Assert.True(await app.Graph.NothingWithinAsync(TimeSpan.FromSeconds(1)), "a second report was acknowledged");
    }

    [Fact]
    public async Task A_message_that_fails_for_one_resident_does_not_hold_back_the_others()
    {
        var stuck = "26" + Random.Shared.NextInt64(1_000_000_000, 9_999_999_999);
        var other = "27" + Random.Shared.NextInt64(1_000_000_000, 9_999_999_999);

        // Facebook answers the first resident's prompt with a 500: it waits for its retry (the test clock stands still).
        app.Graph.AnswerNext(500);
        await PostAsync(Event(stuck, "m-stuck-" + stuck, location: (10.7798, 106.6990)));
        Assert.Contains("ít nhất 10 ký tự", (await NextMessageAsync(stuck)).Text, StringComparison.Ordinal);

        // Another resident's prompt, about no report either, still goes out.
        await PostAsync(Event(other, "m-other-" + other, location: (10.7798, 106.6990)));
        Assert.Contains("ít nhất 10 ký tự", (await NextMessageAsync(other)).Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_signed_event_whose_mid_is_null_is_a_400_and_nothing_is_stored()
    {
        var psid = "28" + Random.Shared.NextInt64(1_000_000_000, 9_999_999_999);
        var body = Event(psid, null!, text: "Quán nhậu mở nhạc rất to cả đêm ở hẻm 12");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/channels/facebook/webhook") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("X-Hub-Signature-256", Sign(body, Secret));

        var response = await app.CreateClient().SendAsync(request, Cancel);

        Assert.Contains("'mid'", (await response.ReadProblemAsync(HttpStatusCode.BadRequest)).Str("detail"), StringComparison.Ordinal);
        Assert.True(await app.Graph.NothingWithinAsync(TimeSpan.FromMilliseconds(500)), "something was answered for a malformed event");
    }

    [Fact]
    public async Task A_message_longer_than_a_description_is_cut_to_fit_and_becomes_a_report()
    {
        var psid = "29" + Random.Shared.NextInt64(1_000_000_000, 9_999_999_999);
        var text = string.Concat(Enumerable.Repeat("Quán nhậu ở phường Bến Nghé, quận 1 mở nhạc rất to cả đêm. ", 80)); // about 4,700 characters
        Assert.True(text.Length > 4000);

        await PostAsync(Event(psid, "m-long-" + psid, text: text));

        var ack = await NextMessageAsync(psid);
        Assert.Contains("Đã tiếp nhận phản ánh", ack.Text, StringComparison.Ordinal); // the acknowledgement with the code, not a refusal
        await NextMessageAsync(psid); // routed or needs-triage
    }

    private async Task PostAsync(string body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/channels/facebook/webhook") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("X-Hub-Signature-256", Sign(body, Secret));
        var response = await app.CreateClient().SendAsync(request, Cancel);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("EVENT_RECEIVED", await response.Content.ReadAsStringAsync(Cancel));
    }

    /// <summary>The next Send API call for this resident, checked against the documented request.</summary>
    private async Task<(JsonElement Body, string Text)> NextMessageAsync(string psid)
    {
        while (true)
        {
            var call = await app.Graph.NextAsync();
            Assert.Equal("/v21.0/me/messages", call.Path);
            Assert.Equal($"?access_token={PageToken}", call.Query);
            Assert.StartsWith("application/json", call.Headers["content-type"], StringComparison.Ordinal);
            var body = JsonDocument.Parse(call.Body).RootElement.Clone();
            if (body.GetProperty("recipient").Str("id") == psid)
            {
                return (body, body.GetProperty("message").Str("text"));
            }
        }
    }

    /// <summary>A page event as Facebook sends it (object "page", entry[].messaging[]).</summary>
    private static string Event(string psid, string mid, string? text = null, (double Lat, double Lng)? location = null, string? imageUrl = null)
    {
        var attachments = new List<object>();
        if (imageUrl is not null)
        {
            attachments.Add(new { type = "image", payload = new { url = imageUrl } });
        }

        if (location is { } l)
        {
            attachments.Add(new { type = "location", payload = new { coordinates = new { lat = l.Lat, @long = l.Lng } } });
        }

        var message = new Dictionary<string, object> { ["mid"] = mid };
        if (text is not null)
        {
            message["text"] = text;
        }

        if (attachments.Count > 0)
        {
            message["attachments"] = attachments;
        }

        return JsonSerializer.Serialize(new
        {
            @object = "page",
            entry = new[]
            {
                new { id = "1022000000", time = 1629421200000, messaging = new[] { new { sender = new { id = psid }, recipient = new { id = "1022000000" }, timestamp = 1629421200000, message } } },
            },
        });
    }

    private static string Sign(string body, string secret) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(body)));

    public sealed class MessengerApp : CitizenApp
    {
        public WebhookReceiver Graph { get; private set; } = null!;

        public override async ValueTask InitializeAsync()
        {
            Graph = await WebhookReceiver.StartAsync();
            await base.InitializeAsync();
        }

        public override async ValueTask DisposeAsync()
        {
            await base.DisposeAsync();
            await Graph.DisposeAsync();
        }

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Facebook:AppSecret", Secret);
            builder.UseSetting("Facebook:VerifyToken", "verify-1022");
            builder.UseSetting("Facebook:PageAccessToken", PageToken);
            builder.UseSetting("Facebook:GraphApiBase", new Uri(Graph.Address, "/v21.0").ToString());
            builder.UseSetting("Facebook:AllowPrivateNetworks", "true");
            builder.UseSetting("Reports:Webhooks:PollInterval", "00:00:00.100");
        }
    }
}
