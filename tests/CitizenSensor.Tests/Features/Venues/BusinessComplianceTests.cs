using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CitizenSensor.Features.Staff;

namespace CitizenSensor.Tests.Features.Venues;

/// <summary>Businesses that must have a QR: registry import, reminders, the proposed and confirmed suspension, the QR lifting it, the audit.</summary>
public sealed class BusinessComplianceTests(CitizenApp app) : IClassFixture<CitizenApp>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static StringContent Csv(string text) => new(text, Encoding.UTF8, "text/csv");

    private static async Task<JsonElement> ListAsync(HttpClient client, string query) =>
        await (await client.GetAsync("/api/v1/staff/businesses?" + query, Cancel)).ReadJsonAsync(HttpStatusCode.OK);

    private static JsonElement Named(JsonElement page, string name) =>
        page.GetProperty("items").EnumerateArray().Single(b => b.Str("name") == name);

    [Fact]
    public async Task Registry_rows_are_imported_all_or_none_and_wards_see_who_has_no_QR()
    {
        var (officer, _) = await app.SignedInAsync(StaffRoles.UnitOfficer, "001"); // Quận Ba Đình
        var phone = VenueClient.NewPhone();
        // A business that registered its QR before the extract arrived is linked at once.
        await app.CreateClient().RegisterAsync(VenueClient.NewVenue("Nhà thuốc Số 7", phone: phone));

        var bad = await (await officer.PostAsync("/api/v1/staff/businesses/import", Csv(
            "name,address,ward,kind,phone\n" +
            "Cửa hàng Hoa Mai,1 Phúc Xá,Phúc Xá,shop,0912345678\n" +
            "<script>x</script>,2 Phúc Xá,phuc xa,shop,\n" +
            "Quán Bún,3 Tràng Tiền,Tràng Tiền,restaurant,0912\n" +
            "Xưởng Mộc,4 Phúc Xá,00001,boat,\n"), Cancel)).ReadProblemAsync(HttpStatusCode.BadRequest);
        var errors = bad.GetProperty("errors");
        Assert.True(errors.TryGetProperty("line 3: name", out _));
        Assert.True(errors.TryGetProperty("line 4: ward", out _)); // Tràng Tiền is in Hoàn Kiếm, not this officer's district
        Assert.True(errors.TryGetProperty("line 4: phone", out _));
        Assert.True(errors.TryGetProperty("line 5: kind", out _));
        Assert.Equal(0, (await ListAsync(officer, "")).GetProperty("total").GetInt32()); // nothing half-imported

        var missingColumn = await (await officer.PostAsync("/api/v1/staff/businesses/import", Csv("name,address\nA,B\n"), Cancel)).ReadProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("ward", missingColumn.GetProperty("errors").GetProperty("file")[0].GetString(), StringComparison.Ordinal);

        var huge = "name,address,ward,kind,phone\n" + string.Concat(Enumerable.Repeat("Cửa hàng,1 Phúc Xá,00001,shop,\n", 200_000));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, (await officer.PostAsync("/api/v1/staff/businesses/import", Csv(huge), Cancel)).StatusCode);

        var csv = "\uFEFFname;address;ward;kind;phone\n" + // a spreadsheet's export: BOM, semicolons, diacritics dropped in a ward name
            "Cửa hàng Hoa Mai;1 Phúc Xá;Phường Phúc Xá;shop;0912 345 678\n" +
            "Nhà thuốc Số 7;7 Phúc Xá;phuc xa;shop;" + phone + "\n" +
            "Xưởng Mộc;4 Trúc Bạch;Trúc Bạch;factory;\n";
        var imported = await (await officer.PostAsync("/api/v1/staff/businesses/import", Csv(csv), Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(3, imported.GetProperty("imported").GetInt32());
        Assert.Equal(1, imported.GetProperty("alreadyWithQr").GetInt32());
        var again = await (await officer.PostAsync("/api/v1/staff/businesses/import", Csv(csv), Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(0, again.GetProperty("imported").GetInt32());
        Assert.Equal(3, again.GetProperty("alreadyImported").GetInt32());

        var without = await ListAsync(officer, "status=without-qr");
        Assert.Equal(2, without.GetProperty("total").GetInt32());
        Assert.Equal(VenueClient.Ward, Named(without, "Cửa hàng Hoa Mai").Str("wardCode"));
        Assert.Equal("0912345678", Named(without, "Cửa hàng Hoa Mai").Str("phone"));
        Assert.Equal("with-qr", Named(await ListAsync(officer, "status=with-qr"), "Nhà thuốc Số 7").Str("status"));
        Assert.Equal(1, (await ListAsync(officer, "q=xuong moc")).GetProperty("total").GetInt32());

        // Another district's officer sees none of them; a citizen nothing at all.
        var (elsewhere, _) = await app.SignedInAsync(StaffRoles.UnitOfficer, "002");
        Assert.Equal(0, (await ListAsync(elsewhere, "")).GetProperty("total").GetInt32());
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.CreateClient().GetAsync("/api/v1/staff/businesses", Cancel)).StatusCode);
        var (health, _) = await app.SignedInAsync(StaffRoles.HealthOfficer, "001");
        Assert.Equal(HttpStatusCode.Forbidden, (await health.GetAsync("/api/v1/staff/businesses", Cancel)).StatusCode);
    }

    [Fact]
    public async Task More_than_three_reminders_propose_a_suspension_the_officer_confirms_and_the_QR_lifts_it()
    {
        const string BenNghe = "26740"; // Phường Bến Nghé, Quận 1, Hồ Chí Minh City: away from the other test's district
        var (officer, user) = await app.SignedInAsync(StaffRoles.UnitOfficer, BenNghe);
        var phone = VenueClient.NewPhone();
        var name = $"Karaoke {Guid.NewGuid().ToString()[..6]}";
        (await officer.PostAsync("/api/v1/staff/businesses/import", Csv($"name,address,ward,kind,phone\n{name},9 Đồng Khởi,{BenNghe},other,{phone}\n"), Cancel)).EnsureSuccessStatusCode();
        var id = Named(await ListAsync(officer, "q=" + Uri.EscapeDataString(name)), name).GetProperty("id").GetInt64();
        var reminders = $"/api/v1/staff/businesses/{id}/reminders";

        var refused = await (await officer.PostAsJsonAsync(reminders, new { date = "2021-09-01", method = "pigeon" }, Cancel)).ReadProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(refused.GetProperty("errors").TryGetProperty("date", out _));
        Assert.True(refused.GetProperty("errors").TryGetProperty("method", out _));
        var early = await (await officer.PostAsync($"/api/v1/staff/businesses/{id}/suspend", null, Cancel)).ReadProblemAsync(HttpStatusCode.Conflict);
        Assert.Contains("0 reminder", early.Str("detail"), StringComparison.Ordinal);

        JsonElement business = default;
        foreach (var (date, method) in new[] { ("2021-08-10", "visit"), ("2021-08-13", "phone"), ("2021-08-16", "letter") })
        {
            business = await (await officer.PostAsJsonAsync(reminders, new { date, method, note = "Chưa tạo mã" }, Cancel)).ReadJsonAsync(HttpStatusCode.OK);
            Assert.Equal("without-qr", business.Str("status")); // three reminders: not yet
        }

        business = await (await officer.PostAsJsonAsync(reminders, new { date = "2021-08-19", method = "visit" }, Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal("proposed", business.Str("status"));
        Assert.Equal(4, business.GetProperty("history").GetArrayLength());
        Assert.Equal(user.Email, business.GetProperty("history")[0].Str("officer"));
        Assert.Equal(1, (await ListAsync(officer, "status=proposed")).GetProperty("total").GetInt32());

        business = await (await officer.PostAsync($"/api/v1/staff/businesses/{id}/suspend", null, Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal("suspended", business.Str("status"));
        Assert.Equal(user.Email, business.Str("suspendedBy"));
        await (await officer.PostAsync($"/api/v1/staff/businesses/{id}/suspend", null, Cancel)).ReadProblemAsync(HttpStatusCode.Conflict);

        // The owner creates the QR (the same phone, the same ward): the suspension is lifted.
        await app.CreateClient().RegisterAsync(VenueClient.NewVenue(name: "Karaoke Đồng Khởi", ward: BenNghe, phone: phone));
        business = await (await officer.GetAsync($"/api/v1/staff/businesses/{id}", Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal("with-qr", business.Str("status"));
        Assert.Equal(JsonValueKind.String, business.GetProperty("suspensionLiftedAt").ValueKind);
        await (await officer.PostAsJsonAsync(reminders, new { method = "visit" }, Cancel)).ReadProblemAsync(HttpStatusCode.Conflict);

        var (admin, _) = await app.SignedInAsync(StaffRoles.Admin, null);
        var audit = await (await admin.GetAsync($"/api/v1/staff/audit?entityType=business&entityId={id}", Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        var actions = audit.EnumerateArray().Select(a => a.Str("action")).ToList();
        foreach (var action in new[] { "remind", "propose-suspension", "confirm-suspension", "qr-created", "lift-suspension", "view-business" })
        {
            Assert.Contains(action, actions);
        }
    }
}
