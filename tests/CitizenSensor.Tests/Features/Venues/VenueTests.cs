using System.Net;
using System.Net.Http.Json;
using CitizenSensor.Data;
using CitizenSensor.Features.Staff;
using CitizenSensor.Features.Venues;
using CitizenSensor.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CitizenSensor.Tests.Features.Venues;

/// <summary>QR locations over HTTP: registration, the QR images and poster (decoded by zbarimg), owners' and officers' changes.</summary>
public sealed class VenueTests(CitizenApp app) : IClassFixture<CitizenApp>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_registered_venue_gets_a_random_code_and_QR_images_that_decode_to_its_check_in_URL()
    {
        var client = app.CreateClient();
        var first = await client.RegisterAsync();
        var second = await client.RegisterAsync();
        var code = first.Str("code");
        Assert.Matches("^[0-9A-HJKMNP-TV-Z]{12}$", code);
        Assert.NotEqual(code, second.Str("code"));
        Assert.Equal($"http://localhost/v/{code}", first.Str("checkInUrl"));
        Assert.Equal($"http://localhost/venues/{code}/poster", first.Str("posterUrl"));
        Assert.StartsWith($"http://localhost/venues/{code}/manage#key=", first.Str("manageUrl"), StringComparison.Ordinal);
        Assert.True(first.Str("manageKey").Length >= 32);

        var png = await client.GetAsync(first.Str("qrPngUrl"), Cancel);
        Assert.Equal("image/png", png.Content.Headers.ContentType?.MediaType);
        Assert.Equal(first.Str("checkInUrl"), await QrDecoder.DecodeAsync(await png.Content.ReadAsByteArrayAsync(Cancel), "png"));
        var svg = await client.GetAsync(first.Str("qrSvgUrl"), Cancel);
        Assert.Equal("image/svg+xml", svg.Content.Headers.ContentType?.MediaType); // decoded as Chromium draws it in VenuePagesTests

        var shown = await (await client.GetAsync($"/api/v1/venues/{code.ToLowerInvariant()}", Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal("Phường Phúc Xá", shown.Str("wardName"));
        Assert.Equal("Quận Ba Đình", shown.Str("districtName"));
        Assert.True(shown.GetProperty("open").GetBoolean());
        Assert.False(shown.TryGetProperty("ownerPhone", out _)); // residents do not see the owner's contact
        await (await client.GetAsync("/api/v1/venues/0000000000AA/qr.png", Cancel)).ReadProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task The_A4_poster_has_the_venue_and_instructions_in_both_languages()
    {
        var client = app.CreateClient();
        var venue = await client.RegisterAsync(VenueClient.NewVenue("Chợ Châu Long mới"));
        var html = await client.GetStringAsync(venue.Str("posterUrl"), Cancel);
        Assert.Contains("Chợ Châu Long mới", html, StringComparison.Ordinal);
        Assert.Contains("12 Phúc Xá, Ba Đình", html, StringComparison.Ordinal);
        Assert.Contains("Quét mã QR", html, StringComparison.Ordinal);
        Assert.Contains("Scan the QR code", html, StringComparison.Ordinal);
        Assert.Contains("/css/poster.css", html, StringComparison.Ordinal);
        Assert.Contains("size: A4", await client.GetStringAsync("/css/poster.css", Cancel), StringComparison.Ordinal);
        Assert.Matches("<figure class=\"qr\" id=\"qr\"><svg", html); // the printed QR is decoded in VenuePagesTests
    }

    [Fact]
    public async Task Bad_registrations_get_a_problem_naming_each_field_and_nothing_is_stored()
    {
        var client = app.CreateClient();
        var (admin, _) = await app.SignedInAsync(StaffRoles.Admin, null);
        var before = (await (await admin.GetAsync("/api/v1/staff/venues?status=all&pageSize=1", Cancel)).ReadJsonAsync(HttpStatusCode.OK)).GetProperty("total").GetInt32();

        var empty = await (await client.PostAsJsonAsync("/api/v1/venues", new { }, Cancel)).ReadProblemAsync(HttpStatusCode.BadRequest);
        foreach (var field in new[] { "name", "kind", "address", "wardCode", "ownerName", "ownerPhone" })
        {
            Assert.True(empty.GetProperty("errors").TryGetProperty(field, out _), $"{field} missing from {empty}");
        }

        async Task<string> Error(object body, string field)
        {
            var problem = await (await client.PostAsJsonAsync("/api/v1/venues", body, Cancel)).ReadProblemAsync(HttpStatusCode.BadRequest);
            return problem.GetProperty("errors").GetProperty(field)[0].GetString()!;
        }

        Assert.Contains("shop", await Error(new { name = "A", kind = "casino", address = "x", wardCode = VenueClient.Ward, ownerName = "An", ownerPhone = "0909123456" }, "kind"), StringComparison.Ordinal);
        Assert.Contains("Vietnamese phone", await Error(new { name = "A", kind = "shop", address = "x", wardCode = VenueClient.Ward, ownerName = "An", ownerPhone = "12345" }, "ownerPhone"), StringComparison.Ordinal);
        Assert.Contains("no ward '99999'", await Error(new { name = "A", kind = "shop", address = "x", wardCode = "99999", ownerName = "An", ownerPhone = "0909123456" }, "wardCode"), StringComparison.Ordinal);
        Assert.Contains("no ward '001'", await Error(new { name = "A", kind = "shop", address = "x", wardCode = "001", ownerName = "An", ownerPhone = "0909123456" }, "wardCode"), StringComparison.Ordinal); // a district is not a ward
        Assert.Contains("-90 and 90", await Error(new { name = "A", kind = "shop", address = "x", wardCode = VenueClient.Ward, lat = 95.0, lng = 105.8, ownerName = "An", ownerPhone = "0909123456" }, "lat"), StringComparison.Ordinal);
        Assert.Contains("go together", await Error(new { name = "A", kind = "shop", address = "x", wardCode = VenueClient.Ward, lat = 21.0, ownerName = "An", ownerPhone = "0909123456" }, "lng"), StringComparison.Ordinal);
        // A pin by Hoàn Kiếm Lake for a ward of Ba Đình.
        Assert.Contains("Hoàn Kiếm", await Error(new { name = "A", kind = "shop", address = "x", wardCode = VenueClient.Ward, lat = 21.0288, lng = 105.8525, ownerName = "An", ownerPhone = "0909123456" }, "lat"), StringComparison.Ordinal);
        await Error(new { name = "<script>alert(1)</script>", kind = "shop", address = "x", wardCode = VenueClient.Ward, ownerName = "An", ownerPhone = "0909123456" }, "name");
        Assert.Contains("200", await Error(new { name = new string('a', 201), kind = "shop", address = "x", wardCode = VenueClient.Ward, ownerName = "An", ownerPhone = "0909123456" }, "name"), StringComparison.Ordinal);
        var wrongType = await client.PostAsync("/api/v1/venues", new StringContent("""{"name":"A","kind":"shop","lat":"north"}""", System.Text.Encoding.UTF8, "application/json"), Cancel);
        await wrongType.ReadProblemAsync(HttpStatusCode.BadRequest);

        var after = (await (await admin.GetAsync("/api/v1/staff/venues?status=all&pageSize=1", Cancel)).ReadJsonAsync(HttpStatusCode.OK)).GetProperty("total").GetInt32();
        Assert.Equal(before, after);

        // A pin inside the ward's own district is kept.
        var pinned = await client.RegisterAsync(new { name = "Văn phòng", kind = "office", address = "Lăng Bác", wardCode = VenueClient.Ward, lat = 21.0368, lng = 105.8347, ownerName = "An", ownerPhone = "0909123456" });
        var detail = await (await admin.GetAsync($"/api/v1/staff/venues/{pinned.Str("code")}", Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(21.0368, detail.GetProperty("lat").GetDouble());
        Assert.Equal("001", detail.Str("districtCode"));
    }

    [Fact]
    public async Task The_owner_edits_and_closes_with_the_key_and_nobody_else_can()
    {
        var client = app.CreateClient();
        var venue = await client.RegisterAsync();
        var code = venue.Str("code");

        HttpRequestMessage Request(HttpMethod method, string path, object? body, string? key)
        {
            var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
            if (key is not null)
            {
                request.Headers.Add("X-Venue-Key", key);
            }

            return request;
        }

        await (await client.SendAsync(Request(HttpMethod.Patch, $"/api/v1/venues/{code}", new { name = "Stolen" }, null), Cancel)).ReadProblemAsync(HttpStatusCode.Forbidden);
        await (await client.SendAsync(Request(HttpMethod.Patch, $"/api/v1/venues/{code}", new { name = "Stolen" }, "not-the-key"), Cancel)).ReadProblemAsync(HttpStatusCode.Forbidden);
        var edited = await (await client.SendAsync(Request(HttpMethod.Patch, $"/api/v1/venues/{code}", new { name = "Phở Thìn Bờ Hồ", kind = "shop" }, venue.Str("manageKey")), Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal("Phở Thìn Bờ Hồ", edited.Str("name"));
        Assert.Equal("12 Phúc Xá, Ba Đình", edited.Str("address")); // fields left out keep their values
        var badEdit = await (await client.SendAsync(Request(HttpMethod.Patch, $"/api/v1/venues/{code}", new { ownerPhone = "x" }, venue.Str("manageKey")), Cancel)).ReadProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(badEdit.GetProperty("errors").TryGetProperty("ownerPhone", out _));

        await (await client.SendAsync(Request(HttpMethod.Post, $"/api/v1/venues/{code}/close", null, "wrong"), Cancel)).ReadProblemAsync(HttpStatusCode.Forbidden);
        var closed = await (await client.SendAsync(Request(HttpMethod.Post, $"/api/v1/venues/{code}/close", null, venue.Str("manageKey")), Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.NotEqual(System.Text.Json.JsonValueKind.Null, closed.GetProperty("closedAt").ValueKind);
        Assert.False((await (await client.GetAsync($"/api/v1/venues/{code}", Cancel)).ReadJsonAsync(HttpStatusCode.OK)).GetProperty("open").GetBoolean());

        var (admin, _) = await app.SignedInAsync(StaffRoles.Admin, null);
        var audit = await (await admin.GetAsync($"/api/v1/staff/audit?entityType=venue&entityId={code}", Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        var actions = audit.EnumerateArray().Select(a => a.Str("action")).ToList();
        Assert.Contains("register", actions);
        Assert.Contains("edit", actions);
        Assert.Contains("close", actions);
        Assert.DoesNotContain(audit.EnumerateArray(), a => a.GetRawText().Contains("Nguyễn Văn An", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Officers_register_and_manage_the_venues_of_their_own_units_only()
    {
        var (ward, _) = await app.SignedInAsync(StaffRoles.UnitOfficer, VenueClient.Ward);
        var (district, _) = await app.SignedInAsync(StaffRoles.UnitOfficer, "001");
        var (elsewhere, _) = await app.SignedInAsync(StaffRoles.UnitOfficer, "002");
        var name = $"Trường tiểu học {Guid.NewGuid().ToString()[..6]}";
        var own = await ward.RegisterAsync(VenueClient.NewVenue(name));
        var refused = await (await ward.PostAsJsonAsync("/api/v1/venues", VenueClient.NewVenue(ward: VenueClient.OtherDistrictWard), Cancel)).ReadProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(refused.GetProperty("errors").TryGetProperty("wardCode", out _));

        var code = own.Str("code");
        var listed = await (await district.GetAsync($"/api/v1/staff/venues?q={Uri.EscapeDataString("truong tieu hoc " + name[^6..])}", Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        var item = Assert.Single(listed.GetProperty("items").EnumerateArray());
        Assert.Equal(code, item.Str("code"));
        Assert.Equal("Nguyễn Văn An", item.Str("ownerName"));
        Assert.Contains("unitofficer", item.Str("createdBy"), StringComparison.Ordinal);
        Assert.Equal(0, (await (await elsewhere.GetAsync($"/api/v1/staff/venues?q={code}", Cancel)).ReadJsonAsync(HttpStatusCode.OK)).GetProperty("total").GetInt32());
        await (await elsewhere.PostAsync($"/api/v1/staff/venues/{code}/close", null, Cancel)).ReadProblemAsync(HttpStatusCode.NotFound);

        await (await district.PostAsync($"/api/v1/staff/venues/{code}/close", null, Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        await (await district.PostAsync($"/api/v1/staff/venues/{code}/reopen", null, Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        var moved = await (await district.PatchAsJsonAsync($"/api/v1/staff/venues/{code}", new { wardCode = "00004" }, Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal("00004", moved.Str("wardCode"));
        Assert.Equal(HttpStatusCode.Forbidden, (await (await app.SignedInAsync(StaffRoles.CallAgent, "001")).Client.GetAsync("/api/v1/staff/venues", Cancel)).StatusCode);

        var (admin, _) = await app.SignedInAsync(StaffRoles.Admin, null);
        var audit = await (await admin.GetAsync("/api/v1/staff/audit?entityType=venue", Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Contains(audit.EnumerateArray(), a => a.Str("action") == "view-venue-owners");
    }

    [Fact]
    public async Task The_venue_desk_refuses_by_itself_a_role_without_the_right_and_a_venue_outside_the_actors_units()
    {
        var code = (await app.CreateClient().RegisterAsync()).Str("code");
        await using var scope = app.Services.CreateAsyncScope(); // no HTTP pipeline: no authorization, the unit scope unrestricted
        var desk = scope.ServiceProvider.GetRequiredService<VenueDesk>();
        var db = scope.ServiceProvider.GetRequiredService<CitizenDb>();
        var wardPath = await db.Venues.Where(v => v.Code == code).Select(v => v.UnitPath).SingleAsync(Cancel);
        var districtPath = wardPath[..(wardPath.TrimEnd('/').LastIndexOf('/') + 1)];
        StaffActor Actor(string role, string? path) => new("x", "x", new HashSet<string> { role }, path);

        Assert.IsType<Outcome<StaffVenue>.Forbidden>(await desk.CloseAsync(Actor(StaffRoles.CallAgent, districtPath), code, Cancel));
        Assert.IsType<Outcome<StaffVenue>.Forbidden>(await desk.EditAsync(Actor(StaffRoles.CityTriage, null), code, new VenueRequest("Khác", null, null, null, null, null, null, null), Cancel));
        Assert.IsType<Outcome<StaffVenue>.NotFound>(await desk.CloseAsync(Actor(StaffRoles.UnitOfficer, "/01/002/"), code, Cancel));
        Assert.IsType<Outcome<StaffVenue>.NotFound>(await desk.CloseAsync(Actor(StaffRoles.UnitOfficer, null), code, Cancel));
        Assert.IsType<Outcome<StaffVenue>.Forbidden>(await desk.OwnerCloseAsync(code, "not-the-key", Cancel));
        var invalid = Assert.IsType<Outcome<StaffVenue>.Invalid>(await desk.EditAsync(Actor(StaffRoles.UnitOfficer, districtPath), code, new VenueRequest(null, "spaceship", null, null, null, null, null, null), Cancel));
        Assert.True(invalid.Errors.ContainsKey("kind"));
        Assert.Equal(0, await db.AuditEntries.CountAsync(a => a.EntityId == code && a.Action != "register", Cancel));

        var closed = Assert.IsType<Outcome<StaffVenue>.Done>(await desk.CloseAsync(Actor(StaffRoles.UnitOfficer, districtPath), code, Cancel));
        Assert.NotNull(closed.Value.ClosedAt);
        Assert.Equal(1, await db.AuditEntries.CountAsync(a => a.EntityId == code && a.Action == "close", Cancel));
    }
}

/// <summary>Public registration is rate limited per client address; officers are not.</summary>
public sealed class VenueRateLimitTests(VenueRateLimitTests.LimitedApp app) : IClassFixture<VenueRateLimitTests.LimitedApp>
{
    [Fact]
    public async Task The_third_registration_within_the_hour_from_one_address_gets_429_with_Retry_After()
    {
        var client = app.CreateClient();
        await client.RegisterAsync();
        await client.RegisterAsync();
        var response = await client.PostAsJsonAsync("/api/v1/venues", VenueClient.NewVenue(), TestContext.Current.CancellationToken);
        var problem = await response.ReadProblemAsync(HttpStatusCode.TooManyRequests);
        Assert.Contains("try again in", problem.Str("detail"), StringComparison.Ordinal);
        Assert.NotNull(response.Headers.RetryAfter);
        var (officer, _) = await app.SignedInAsync(StaffRoles.UnitOfficer, VenueClient.Ward);
        await officer.RegisterAsync();
        await officer.RegisterAsync();
    }

    public sealed class LimitedApp : CitizenApp
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("RateLimits:VenueRegistrations:Permits", "2");
        }
    }
}
