using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CitizenSensor.Data;
using CitizenSensor.Features.Declarations;
using CitizenSensor.Features.Staff;
using CitizenSensor.Tests.Features.Venues;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CitizenSensor.Tests.Features.Declarations;

/// <summary>Declarations over HTTP: submission, the personal QR, every validation error in both languages, versions, sources, sealing and reading.</summary>
public sealed class DeclarationTests(CitizenApp app) : IClassFixture<CitizenApp>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private async Task<int> CountAsync()
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<CitizenDb>().Set<Declaration>().CountAsync(Cancel);
    }

    [Fact]
    public async Task A_declaration_is_stored_sealed_and_answered_with_a_personal_QR_that_scanners_accept()
    {
        var client = app.CreateClient();
        var phone = VenueClient.NewPhone();
        var body = DeclarationClient.Valid(phone);
        body["placesVisited"] = new[] { new { place = "Chợ Long Biên", date = app.Time.GetUtcNow().AddDays(-3).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) } };
        var declared = await client.DeclaredAsync(body);
        var id = declared.GetProperty("id").GetInt64();
        Assert.Equal(1, declared.GetProperty("version").GetInt32());

        // The personal QR: a PNG whose code is a pass a venue's scanner takes.
        var url = new Uri(declared.Str("personalQrUrl"));
        var png = await client.GetByteArrayAsync(url.PathAndQuery, Cancel);
        var pass = await QrDecoder.DecodeAsync(png, "png");
        Assert.StartsWith("CSP1.", pass, StringComparison.Ordinal);
        Assert.DoesNotContain(phone, pass, StringComparison.Ordinal);
        var venue = await client.RegisterAsync();
        var scan = new HttpRequestMessage(HttpMethod.Post, "/api/v1/checkins") { Content = JsonContent.Create(new { venueCode = venue.Str("code"), pass }) };
        scan.Headers.Add("X-Venue-Key", venue.Str("manageKey"));
        await (await client.SendAsync(scan, Cancel)).ReadJsonAsync(HttpStatusCode.Created);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/v1/checkins/passes/CSP1.forged/qr.png", Cancel)).StatusCode);

        // Sealed: nothing that identifies the person is readable in the row.
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var row = await scope.ServiceProvider.GetRequiredService<CitizenDb>().Set<Declaration>().AsNoTracking().SingleAsync(d => d.Id == id, Cancel);
            var stored = System.Text.Encoding.UTF8.GetString(row.Payload);
            Assert.DoesNotContain(phone, stored, StringComparison.Ordinal);
            Assert.DoesNotContain("Hoa", stored, StringComparison.Ordinal);
            Assert.DoesNotContain("001185012345", stored, StringComparison.Ordinal);
            Assert.Equal("app", row.Source);
            Assert.Equal(DeclarationClient.Ward, row.WardCode);
            Assert.Equal(DeclarationClient.District, row.DistrictCode);
        }

        // Health officers of the unit read it in full, the citizen ID masked, with a reason that goes into the audit.
        var (health, _) = await app.SignedInAsync(StaffRoles.HealthOfficer, DeclarationClient.District);
        var noReason = await (await health.GetAsync($"/api/v1/declarations/{id}", Cancel)).ReadProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(noReason.GetProperty("errors").TryGetProperty("reason", out _));
        var view = await (await health.GetAsync($"/api/v1/declarations/{id}?reason=calling about symptoms", Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(phone, view.Str("phone"));
        Assert.Equal("Nguyễn Thị Hoa", view.Str("fullName"));
        Assert.Equal("•••••••••345", view.Str("citizenId"));
        Assert.Equal("Chợ Long Biên", view.GetProperty("placesVisited")[0].Str("place"));
        var fhir = await (await health.GetAsync($"/api/v1/declarations/{id}/fhir?reason=sending to the hospital", Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal("QuestionnaireResponse", fhir.Str("resourceType"));
        Assert.Equal("completed", fhir.Str("status"));
        var items = fhir.GetProperty("item").EnumerateArray().ToList();
        Assert.Equal(phone, items.Single(i => i.Str("linkId") == "phone").GetProperty("answer")[0].Str("valueString"));
        Assert.Equal(1985, items.Single(i => i.Str("linkId") == "birthYear").GetProperty("answer")[0].GetProperty("valueInteger").GetInt32());
        Assert.Equal("•••••••••345", items.Single(i => i.Str("linkId") == "citizenId").GetProperty("answer")[0].Str("valueString"));
        Assert.Equal("female", items.Single(i => i.Str("linkId") == "gender").GetProperty("answer")[0].GetProperty("valueCoding").Str("code"));
        Assert.Equal("Chợ Long Biên", items.Single(i => i.Str("linkId") == "placesVisited").GetProperty("item")[0].GetProperty("answer")[0].Str("valueString"));

        // Other districts' officers and other roles do not see it.
        var (elsewhere, _) = await app.SignedInAsync(StaffRoles.HealthOfficer, "002");
        Assert.Equal(HttpStatusCode.NotFound, (await elsewhere.GetAsync($"/api/v1/declarations/{id}?reason=curious about it", Cancel)).StatusCode);
        var (officer, _) = await app.SignedInAsync(StaffRoles.UnitOfficer, DeclarationClient.District);
        Assert.Equal(HttpStatusCode.Forbidden, (await officer.GetAsync($"/api/v1/declarations/{id}?reason=curious about it", Cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync($"/api/v1/declarations/{id}?reason=curious about it", Cancel)).StatusCode);

        var (admin, _) = await app.SignedInAsync(StaffRoles.Admin, null);
        var audit = await (await admin.GetAsync("/api/v1/staff/audit?entityType=declaration", Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Contains(audit.EnumerateArray(), a => a.Str("action") == "view-declaration" && a.Str("entityId") == id.ToString(CultureInfo.InvariantCulture) && a.Str("after").Contains("calling about symptoms", StringComparison.Ordinal));
        Assert.Contains(audit.EnumerateArray(), a => a.Str("action") == "export-declaration" && a.Str("after").Contains("sending to the hospital", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Every_validation_error_names_its_field_in_the_requesters_language_and_nothing_is_stored()
    {
        var client = app.CreateClient();
        var before = await CountAsync();
        var today = app.Time.GetUtcNow().AddHours(7);

        async Task<JsonElement> Errors(object body, string language) =>
            (await (await client.DeclareAsync(body, language)).ReadProblemAsync(HttpStatusCode.BadRequest)).GetProperty("errors");

        var empty = await Errors(new { }, "vi");
        Assert.Equal("Chưa trả lời: Họ và tên.", empty.GetProperty("fullName")[0].GetString());
        Assert.Equal("Chưa trả lời: Số điện thoại.", empty.GetProperty("phone")[0].GetString());
        Assert.True(empty.TryGetProperty("birthYear", out _));
        Assert.True(empty.TryGetProperty("wardCode", out _));
        Assert.True(empty.TryGetProperty("gender", out _));
        Assert.True(empty.TryGetProperty("address", out _));
        Assert.False(empty.TryGetProperty("citizenId", out _));
        Assert.Equal("Required: Full name.", (await Errors(new { }, "en")).GetProperty("fullName")[0].GetString());

        var bad = DeclarationClient.Valid();
        bad["phone"] = "12345";
        bad["birthYear"] = 1850;
        bad["gender"] = "unknown";
        bad["citizenId"] = "12AB";
        bad["wardCode"] = "99999";
        bad["fullName"] = "<script>alert(1)</script>";
        bad["symptoms"] = new[] { "fever", "headache" };
        bad["exposures"] = new[] { "contact-with-aliens" };
        bad["placesVisited"] = new object[]
        {
            new { place = "Hồ Gươm", date = today.AddDays(2).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) },
            new { place = "Bến xe Mỹ Đình", date = today.AddDays(-20).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) },
            new { place = "", date = "yesterday" },
        };
        bad["answers"] = new Dictionary<string, object> { ["notAQuestion"] = "x" };

        var en = await Errors(bad, "en");
        Assert.Contains("Vietnamese phone number", en.GetProperty("phone")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal($"Year of birth: a year from 1900 to {today.Year}.", en.GetProperty("birthYear")[0].GetString());
        Assert.Contains("there is no option \"unknown\"", en.GetProperty("gender")[0].GetString(), StringComparison.Ordinal);
        Assert.Contains("12 digits", en.GetProperty("citizenId")[0].GetString(), StringComparison.Ordinal);
        Assert.Contains("no ward \"99999\"", en.GetProperty("wardCode")[0].GetString(), StringComparison.Ordinal);
        Assert.Contains("markup", en.GetProperty("fullName")[0].GetString(), StringComparison.Ordinal);
        Assert.Contains("\"headache\"", en.GetProperty("symptoms")[0].GetString(), StringComparison.Ordinal);
        Assert.Contains("\"contact-with-aliens\"", en.GetProperty("exposures")[0].GetString(), StringComparison.Ordinal);
        Assert.Contains("in the future", en.GetProperty("placesVisited[0].date")[0].GetString(), StringComparison.Ordinal);
        Assert.Contains("more than 14 days ago", en.GetProperty("placesVisited[1].date")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal("Required: Place visited.", en.GetProperty("placesVisited[2].place")[0].GetString());
        Assert.Contains("YYYY-MM-DD", en.GetProperty("placesVisited[2].date")[0].GetString(), StringComparison.Ordinal);
        Assert.Contains("notAQuestion", en.GetProperty("answers.notAQuestion")[0].GetString(), StringComparison.Ordinal);

        var vi = await Errors(bad, "vi");
        Assert.Contains("số điện thoại Việt Nam", vi.GetProperty("phone")[0].GetString(), StringComparison.Ordinal);
        Assert.Contains("chưa tới", vi.GetProperty("placesVisited[0].date")[0].GetString(), StringComparison.Ordinal);
        Assert.Contains("không có phường/xã", vi.GetProperty("wardCode")[0].GetString(), StringComparison.Ordinal);

        // Wrong source, and a partner key that does not exist.
        var wrongSource = DeclarationClient.Valid();
        wrongSource["source"] = "web";
        Assert.Contains("\"web\"", (await Errors(wrongSource, "en")).GetProperty("source")[0].GetString(), StringComparison.Ordinal);
        await (await client.DeclareAsync(DeclarationClient.Valid(), "en", partnerKey: "dp_forged")).ReadProblemAsync(HttpStatusCode.Unauthorized);

        // A body that is not JSON, or of the wrong shape.
        var malformed = new StringContent("{\"fullName\": ", System.Text.Encoding.UTF8, "application/json");
        await (await client.PostAsync("/api/v1/declarations", malformed, Cancel)).ReadProblemAsync(HttpStatusCode.BadRequest);
        var wrongType = new StringContent("{\"birthYear\": \"nineteen\"}", System.Text.Encoding.UTF8, "application/json");
        await (await client.PostAsync("/api/v1/declarations", wrongType, Cancel)).ReadProblemAsync(HttpStatusCode.BadRequest);

        Assert.Equal(before, await CountAsync());
    }

    [Fact]
    public async Task Repeated_declarations_of_a_day_are_versions_and_partners_declare_under_their_source()
    {
        var client = app.CreateClient();
        var phone = VenueClient.NewPhone();
        var first = await client.DeclaredAsync(DeclarationClient.Valid(phone));
        var second = await client.DeclaredAsync(DeclarationClient.Valid("+84 " + phone[1..], symptoms: ["cough"]));
        Assert.Equal(1, first.GetProperty("version").GetInt32());
        Assert.Equal(2, second.GetProperty("version").GetInt32());
        // Another member of the household on the same phone is another person.
        var child = await client.DeclaredAsync(DeclarationClient.Valid(phone, name: "Nguyễn Minh Khôi"));
        Assert.Equal(1, child.GetProperty("version").GetInt32());
        app.Time.Advance(TimeSpan.FromDays(1));
        Assert.Equal(1, (await client.DeclaredAsync(DeclarationClient.Valid(phone))).GetProperty("version").GetInt32());

        // Partners: a key from Admin, shown once; their declarations count under their source; revoked keys stop.
        var (admin, _) = await app.SignedInAsync(StaffRoles.Admin, null);
        var refused = await (await admin.PostAsJsonAsync("/api/v1/declaration-partners", new { name = "X", source = "web" }, Cancel)).ReadProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(refused.GetProperty("errors").TryGetProperty("source", out _));
        Assert.True(refused.GetProperty("errors").TryGetProperty("name", out _));
        var issued = await (await admin.PostAsJsonAsync("/api/v1/declaration-partners", new { name = "PC-Covid", source = "pc-covid" }, Cancel)).ReadJsonAsync(HttpStatusCode.Created);
        var key = issued.Str("key");
        var listed = await (await admin.GetAsync("/api/v1/declaration-partners", Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.DoesNotContain(key, listed.GetRawText(), StringComparison.Ordinal);
        var byPartner = await client.DeclaredAsync(DeclarationClient.Valid(), partnerKey: key);

        // The batch endpoint: partners only, each item accepted or rejected with its errors.
        var batch = new HttpRequestMessage(HttpMethod.Post, "/api/v1/declarations/batch")
        {
            Content = JsonContent.Create(new { items = new object[] { DeclarationClient.Valid(), new { fullName = "Trần Văn B" }, DeclarationClient.Valid(symptoms: ["fever"]) } }),
        };
        batch.Headers.Add("X-Partner-Key", key);
        var outcome = await (await client.SendAsync(batch, Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(2, outcome.GetProperty("accepted").GetInt32());
        Assert.Equal(1, outcome.GetProperty("rejected").GetInt32());
        Assert.Equal("rejected", outcome.GetProperty("results")[1].Str("status"));
        Assert.True(outcome.GetProperty("results")[1].GetProperty("errors").TryGetProperty("phone", out _));
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.PostAsJsonAsync("/api/v1/declarations/batch", new { items = new[] { DeclarationClient.Valid() } }, Cancel)).StatusCode);

        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<CitizenDb>();
            Assert.Equal("pc-covid", (await db.Set<Declaration>().SingleAsync(d => d.Id == byPartner.GetProperty("id").GetInt64(), Cancel)).Source);
            Assert.Equal(3, await db.Set<Declaration>().CountAsync(d => d.Source == "pc-covid", Cancel));
        }

        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/v1/declaration-partners/{issued.GetProperty("id").GetInt32()}", Cancel)).StatusCode);
        await (await client.DeclareAsync(DeclarationClient.Valid(), partnerKey: key)).ReadProblemAsync(HttpStatusCode.Unauthorized);
    }
}
