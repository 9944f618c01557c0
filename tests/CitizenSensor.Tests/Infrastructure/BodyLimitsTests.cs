using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using CitizenSensor.Data;
using CitizenSensor.Features.Venues;
using CitizenSensor.Tests.Features.Declarations;
using CitizenSensor.Tests.Features.Venues;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CitizenSensor.Tests.Infrastructure;

/// <summary>
/// The limits on what a body says: check-ins per phone and per venue, declarations per phone, whatever the address
/// (this app: 3 check-ins a phone, 5 a venue, 2 declarations a phone, an hour). Every door refuses the same way: 429
/// with Retry-After; a batch keeps the other items and marks the refused ones; nothing refused is stored.
/// </summary>
public sealed partial class BodyLimitsTests(BodyLimitsTests.LimitsApp app) : IClassFixture<BodyLimitsTests.LimitsApp>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private async Task<int> StoredAtAsync(string code)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CitizenDb>();
        return await db.Set<CheckIn>().CountAsync(c => c.VenueId == db.Venues.Single(v => v.Code == code).Id, Cancel);
    }

    [Fact]
    public async Task A_phone_checked_in_too_often_gets_429_with_retry_after_at_any_venue_and_others_still_check_in()
    {
        var client = app.CreateClient();
        var (a, b) = ((await client.RegisterAsync()).Str("code"), (await client.RegisterAsync()).Str("code"));
        var phone = VenueClient.NewPhone();
        for (var i = 0; i < 3; i++)
        {
            var at = app.Time.GetUtcNow().AddMinutes(-10 * i);
            await (await client.PostAsJsonAsync("/api/v1/checkins", new { venueCode = i == 1 ? b : a, phone, at }, Cancel)).ReadJsonAsync(HttpStatusCode.Created);
        }

        // The same person written another way is the same phone.
        var refused = await client.PostAsJsonAsync("/api/v1/checkins", new { venueCode = b, phone = "+84 " + phone[1..], at = app.Time.GetUtcNow().AddMinutes(-40) }, Cancel);
        var problem = await refused.ReadProblemAsync(HttpStatusCode.TooManyRequests);
        Assert.Contains("phone", problem.Str("detail"), StringComparison.Ordinal);
        Assert.True(refused.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        Assert.Equal(1, await StoredAtAsync(b));

        await (await client.PostAsJsonAsync("/api/v1/checkins", new { venueCode = b, phone = VenueClient.NewPhone() }, Cancel)).ReadJsonAsync(HttpStatusCode.Created);
        Assert.Equal(2, await StoredAtAsync(b));
    }

    [Fact]
    public async Task A_phone_refused_is_taken_again_once_its_window_has_passed()
    {
        var client = app.CreateClient();
        var code = (await client.RegisterAsync()).Str("code");
        var phone = VenueClient.NewPhone();
        for (var i = 0; i < 3; i++)
        {
            await (await client.PostAsJsonAsync("/api/v1/checkins", new { venueCode = code, phone, at = app.Time.GetUtcNow().AddMinutes(-10 * i) }, Cancel)).ReadJsonAsync(HttpStatusCode.Created);
        }

        var refused = await client.PostAsJsonAsync("/api/v1/checkins", new { venueCode = code, phone }, Cancel);
        await refused.ReadProblemAsync(HttpStatusCode.TooManyRequests);
        var wait = refused.Headers.RetryAfter!.Delta!.Value;
        Assert.InRange(wait, TimeSpan.FromSeconds(1), TimeSpan.FromHours(1));

        app.Time.Advance(wait - TimeSpan.FromSeconds(2));
        await (await client.PostAsJsonAsync("/api/v1/checkins", new { venueCode = code, phone }, Cancel)).ReadProblemAsync(HttpStatusCode.TooManyRequests);
        app.Time.Advance(TimeSpan.FromSeconds(2));
        await (await client.PostAsJsonAsync("/api/v1/checkins", new { venueCode = code, phone }, Cancel)).ReadJsonAsync(HttpStatusCode.Created);
        Assert.Equal(4, await StoredAtAsync(code));
    }

    [Fact]
    public async Task A_batch_over_the_venues_limit_keeps_the_items_within_it_and_marks_the_rest_limited()
    {
        var client = app.CreateClient();
        var code = (await client.RegisterAsync()).Str("code");
        var items = Enumerable.Range(0, 7).Select(_ => new { venueCode = code, phone = VenueClient.NewPhone() }).ToList();
        var response = await client.PostAsJsonAsync("/api/v1/checkins/batch", new { items }, Cancel);
        Assert.True(response.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        var outcome = await response.ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(5, outcome.GetProperty("accepted").GetInt32());
        Assert.Equal(2, outcome.GetProperty("rejected").GetInt32());
        var results = outcome.GetProperty("results").EnumerateArray().ToList();
        Assert.All(results.Take(5), r => Assert.Equal("accepted", r.Str("status")));
        Assert.All(results.Skip(5), r => Assert.Equal("limited", r.Str("status")));
        Assert.Contains("venue", results[6].GetProperty("errors").GetProperty("venueCode")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(5, await StoredAtAsync(code));

        var single = await client.PostAsJsonAsync("/api/v1/checkins", new { venueCode = code, phone = VenueClient.NewPhone() }, Cancel);
        await single.ReadProblemAsync(HttpStatusCode.TooManyRequests);
        Assert.Equal(5, await StoredAtAsync(code));
    }

    [Fact]
    public async Task The_check_in_page_refuses_a_phone_over_its_limit_in_vietnamese_with_retry_after()
    {
        var api = app.CreateClient();
        var code = (await api.RegisterAsync()).Str("code");
        var phone = VenueClient.NewPhone();
        for (var i = 0; i < 3; i++)
        {
            await (await api.PostAsJsonAsync("/api/v1/checkins", new { venueCode = code, phone, at = app.Time.GetUtcNow().AddMinutes(-5 * (i + 1)) }, Cancel)).ReadJsonAsync(HttpStatusCode.Created);
        }

        var browser = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        browser.DefaultRequestHeaders.AcceptLanguage.ParseAdd("vi");
        var page = await browser.GetStringAsync($"/v/{code}", Cancel);
        var token = WebUtility.HtmlDecode(TokenPattern().Match(page).Groups[1].Value);
        var response = await browser.PostAsync($"/v/{code}", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Phone"] = phone,
            ["__RequestVerificationToken"] = token,
        }), Cancel);
        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.True(response.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        Assert.Contains("Vui lòng thử lại sau 60 phút", await response.Content.ReadAsStringAsync(Cancel), StringComparison.Ordinal);
        Assert.Equal(3, await StoredAtAsync(code));
    }

    [Fact]
    public async Task A_phone_declaring_too_often_gets_429_with_retry_after_and_nothing_stored()
    {
        var client = app.CreateClient();
        var phone = VenueClient.NewPhone();
        await client.DeclaredAsync(DeclarationClient.Valid(phone));
        await client.DeclaredAsync(DeclarationClient.Valid(phone, name: "Lê Văn Tám"));
        var before = await DeclarationsAsync();

        var refused = await client.DeclareAsync(DeclarationClient.Valid(phone, name: "Lê Thị Chín"), language: "en");
        var problem = await refused.ReadProblemAsync(HttpStatusCode.TooManyRequests);
        Assert.Contains("Please try again in 60 minutes", problem.Str("detail"), StringComparison.Ordinal);
        Assert.True(refused.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        Assert.Equal(before, await DeclarationsAsync());

        // An invalid declaration from that phone is still told what is wrong, and another phone declares.
        var invalid = DeclarationClient.Valid(phone);
        invalid["birthYear"] = 1800;
        await (await client.DeclareAsync(invalid)).ReadProblemAsync(HttpStatusCode.BadRequest);
        await client.DeclaredAsync(DeclarationClient.Valid());
    }

    [Fact]
    public async Task A_partners_batch_keeps_the_declarations_within_a_phones_limit_and_marks_the_rest_limited()
    {
        var (admin, _) = await app.SignedInAsync(CitizenSensor.Features.Staff.StaffRoles.Admin, null);
        var key = (await (await admin.PostAsJsonAsync("/api/v1/declaration-partners", new { name = "Sổ sức khỏe", source = "so-suc-khoe" }, Cancel)).ReadJsonAsync(HttpStatusCode.Created)).Str("key");
        var phone = VenueClient.NewPhone();
        var batch = new HttpRequestMessage(HttpMethod.Post, "/api/v1/declarations/batch")
        {
            Content = JsonContent.Create(new { items = new object[] { DeclarationClient.Valid(phone), DeclarationClient.Valid(phone, name: "Lê Văn Tám"), DeclarationClient.Valid(phone, name: "Lê Thị Chín"), DeclarationClient.Valid() } }),
        };
        batch.Headers.Add("X-Partner-Key", key);
        var before = await DeclarationsAsync();

        var response = await app.CreateClient().SendAsync(batch, Cancel);
        Assert.True(response.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        var outcome = await response.ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(["accepted", "accepted", "limited", "accepted"], outcome.GetProperty("results").EnumerateArray().Select(r => r.Str("status")));
        Assert.Equal(before + 3, await DeclarationsAsync());
    }

    private async Task<int> DeclarationsAsync()
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<CitizenDb>().Set<CitizenSensor.Features.Declarations.Declaration>().CountAsync(Cancel);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();

    public sealed class LimitsApp : CitizenApp
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("RateLimits:PhoneCheckIns:Permits", "3");
            builder.UseSetting("RateLimits:VenueCheckIns:Permits", "5");
            builder.UseSetting("RateLimits:PhoneDeclarations:Permits", "2");
            foreach (var limit in new[] { "PhoneCheckIns", "VenueCheckIns", "PhoneDeclarations" })
            {
                builder.UseSetting($"RateLimits:{limit}:Window", "01:00:00");
            }
        }
    }
}
