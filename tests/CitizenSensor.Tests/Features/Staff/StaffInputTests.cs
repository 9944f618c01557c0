using System.Net;
using System.Net.Http.Json;
using CitizenSensor.Data;
using CitizenSensor.Features.Staff;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CitizenSensor.Tests.Features.Staff;

/// <summary>
/// What a staff account and a unit's contact may hold: a display name is plain visible text, a contact e-mail an
/// ordinary address, a contact phone a Vietnamese number. Anything else is a 400 naming the field, and nothing changes
/// (no account, the old contact, no audit entry).
/// </summary>
public sealed class StaffInputTests(CitizenApp app) : IClassFixture<CitizenApp>
{
    private const string Quan1 = "760";

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public static TheoryData<string> BadDisplayNames => new()
    {
        "<b>x</b>",
        "Cán bộ <script>alert(1)</script>",
        "Cán bộ\0mới",
        "\u200B\u200B\u200B",
        "\u3164",
        " \u00A0\uFEFF ",
    };

    [Theory]
    [MemberData(nameof(BadDisplayNames))]
    public async Task A_display_name_with_markup_control_characters_or_nothing_visible_is_refused(string displayName)
    {
        var (admin, _) = await app.SignedInAsync(StaffRoles.Admin, null);
        var email = $"ten-{Guid.NewGuid():N}@test.citizensensor.vn";
        var before = await AuditCountAsync();

        var response = await admin.PostAsJsonAsync("/api/v1/staff/users", new { email, displayName, password = "Mot-mat-khau-dai", role = StaffRoles.Viewer, unitCode = Quan1 }, Cancel);

        var problem = await response.ReadProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("displayName", out _), problem.GetRawText());
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CitizenDb>();
        Assert.False(await db.Users.IgnoreQueryFilters().AnyAsync(u => u.Email == email, Cancel));
        Assert.Equal(before, await AuditCountAsync());
    }

    [Fact]
    public async Task A_plain_vietnamese_display_name_is_kept()
    {
        var (admin, _) = await app.SignedInAsync(StaffRoles.Admin, null);

        var response = await admin.PostAsJsonAsync("/api/v1/staff/users", new { email = $"ten-{Guid.NewGuid():N}@test.citizensensor.vn", displayName = "  Nguyễn Thị Bảo Ngọc (giá < 50k)  ", password = "Mot-mat-khau-dai", role = StaffRoles.Viewer, unitCode = Quan1 }, Cancel);

        var created = await response.ReadJsonAsync(HttpStatusCode.Created);
        Assert.Equal("Nguyễn Thị Bảo Ngọc (giá < 50k)", created.Str("displayName"));
    }

    public static TheoryData<string, string?, string?> BadContacts => new()
    {
        { "contactEmail", "\"<script>\"@example.org", null },
        { "contactEmail", "\"tiep nhan\"@example.org", null },
        { "contactEmail", "tiepnhan@[127.0.0.1]", null },
        { "contactEmail", "a<b>@example.org", null },
        { "contactEmail", "tiepnhan@localhost", null },
        { "contactPhone", null, "1022" },
        { "contactPhone", null, "<script>" },
        { "contactPhone", null, "+1 212 555 0100" },
        { "contactPhone", null, "0909 123 456 ext 7" },
    };

    [Theory]
    [MemberData(nameof(BadContacts))]
    public async Task A_contact_that_is_not_an_ordinary_email_or_a_vietnamese_phone_is_refused(string field, string? contactEmail, string? contactPhone)
    {
        var (officer, _) = await app.SignedInAsync(StaffRoles.UnitOfficer, Quan1);
        var good = await (await officer.PutAsJsonAsync($"/api/v1/staff/units/{Quan1}/contact", new { contactEmail = "tiepnhan@q1.hochiminhcity.gov.vn", contactPhone = "028 3829 1234" }, Cancel))
            .ReadJsonAsync(HttpStatusCode.OK);
        var before = await AuditCountAsync();

        var response = await officer.PutAsJsonAsync($"/api/v1/staff/units/{Quan1}/contact", new { contactEmail = contactEmail ?? "tiepnhan@q1.hochiminhcity.gov.vn", contactPhone = contactPhone ?? "028 3829 1234" }, Cancel);

        var problem = await response.ReadProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.GetRawText());
        var after = await (await officer.GetAsync($"/api/v1/staff/units/{Quan1}", Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(good.GetRawText(), after.GetRawText());
        Assert.Equal(before, await AuditCountAsync());
    }

    [Theory]
    [InlineData("tiep.nhan+q1@ubnd-q1.hochiminhcity.gov.vn", "+84 28 3829 1234")]
    [InlineData("TIEP_NHAN%1@Q1.GOV.VN", "0909.123.456")]
    public async Task Ordinary_addresses_and_vietnamese_numbers_are_accepted(string contactEmail, string contactPhone)
    {
        var (officer, _) = await app.SignedInAsync(StaffRoles.UnitOfficer, Quan1);

        var unit = await (await officer.PutAsJsonAsync($"/api/v1/staff/units/{Quan1}/contact", new { contactEmail, contactPhone }, Cancel)).ReadJsonAsync(HttpStatusCode.OK);

        Assert.Equal(contactEmail, unit.Str("contactEmail"));
        Assert.Equal(contactPhone, unit.Str("contactPhone"));
    }

    private async Task<int> AuditCountAsync()
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CitizenDb>();
        return await db.AuditEntries.CountAsync(a => a.Action == "staff.create" || a.Action == "unit.contact", Cancel);
    }
}
