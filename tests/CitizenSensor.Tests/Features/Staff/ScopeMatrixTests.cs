using System.Net;
using System.Net.Http.Json;
using CitizenSensor.Features.Staff;

namespace CitizenSensor.Tests.Features.Staff;

/// <summary>
/// Who sees what. An officer of Quận 1 sees Quận 1 and its wards and nothing of Quận 3: not even that it exists (404).
/// </summary>
public sealed class ScopeMatrixTests(CitizenApp app) : IClassFixture<CitizenApp>
{
    private const string Hcmc = "79";
    private const string Quan1 = "760";
    private const string BenNghe = "26740"; // a ward of Quận 1
    private const string Quan3 = "770";
    private const string Ward1OfQuan3 = "27160";
    private const string HoanKiem = "002"; // Hà Nội

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public static TheoryData<string, string?, string, HttpStatusCode> ReadMatrix => new()
    {
        { StaffRoles.UnitOfficer, Quan1, Quan1, HttpStatusCode.OK },
        { StaffRoles.UnitOfficer, Quan1, BenNghe, HttpStatusCode.OK },
        { StaffRoles.UnitOfficer, Quan1, Quan3, HttpStatusCode.NotFound },
        { StaffRoles.UnitOfficer, Quan1, Ward1OfQuan3, HttpStatusCode.NotFound },
        { StaffRoles.UnitOfficer, Quan1, Hcmc, HttpStatusCode.NotFound },
        { StaffRoles.UnitOfficer, Quan1, HoanKiem, HttpStatusCode.NotFound },
        { StaffRoles.UnitOfficer, Quan3, Quan3, HttpStatusCode.OK },
        { StaffRoles.UnitOfficer, Quan3, Quan1, HttpStatusCode.NotFound },
        { StaffRoles.UnitOfficer, BenNghe, BenNghe, HttpStatusCode.OK },
        { StaffRoles.UnitOfficer, BenNghe, Quan1, HttpStatusCode.NotFound },
        { StaffRoles.CityTriage, Hcmc, Quan1, HttpStatusCode.OK },
        { StaffRoles.CityTriage, Hcmc, Quan3, HttpStatusCode.OK },
        { StaffRoles.CityTriage, Hcmc, HoanKiem, HttpStatusCode.NotFound },
        { StaffRoles.Viewer, Hcmc, Quan3, HttpStatusCode.OK },
        { StaffRoles.Admin, null, HoanKiem, HttpStatusCode.OK },
        { StaffRoles.Admin, null, Quan3, HttpStatusCode.OK },
    };

    [Theory]
    [MemberData(nameof(ReadMatrix))]
    public async Task Unit_settings_are_visible_only_inside_the_callers_subtree(string role, string? unit, string target, HttpStatusCode expected)
    {
        var (client, _) = await app.SignedInAsync(role, unit);

        var response = await client.GetAsync($"/api/v1/staff/units/{target}", Cancel);

        Assert.Equal(expected, response.StatusCode);
        if (expected == HttpStatusCode.NotFound)
        {
            var problem = await response.ReadProblemAsync(HttpStatusCode.NotFound);
            Assert.Equal("Unit not found", problem.Str("title")); // the same answer as for a code that does not exist
        }
    }

    [Fact]
    public async Task An_officer_of_Quan_1_cannot_change_Quan_3_and_nothing_is_written()
    {
        var (quan1, _) = await app.SignedInAsync(StaffRoles.UnitOfficer, Quan1);
        var (admin, _) = await app.SignedInAsync(StaffRoles.Admin, null);
        var before = await (await admin.GetAsync($"/api/v1/staff/units/{Quan3}", Cancel)).ReadJsonAsync(HttpStatusCode.OK);

        var response = await quan1.PutAsJsonAsync($"/api/v1/staff/units/{Quan3}/contact", new { contactEmail = "hijack@example.org", contactPhone = "0900000000" }, Cancel);

        await response.ReadProblemAsync(HttpStatusCode.NotFound);
        var after = await (await admin.GetAsync($"/api/v1/staff/units/{Quan3}", Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(before.GetRawText(), after.GetRawText());
    }

    [Fact]
    public async Task An_officer_changes_their_own_units_contact()
    {
        var (quan1, _) = await app.SignedInAsync(StaffRoles.UnitOfficer, Quan1);

        var response = await quan1.PutAsJsonAsync($"/api/v1/staff/units/{BenNghe}/contact", new { contactEmail = "bennghe@q1.hochiminhcity.gov.vn", contactPhone = "028 3829 1234" }, Cancel);

        var unit = await response.ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal("bennghe@q1.hochiminhcity.gov.vn", unit.Str("contactEmail"));
        var reread = await (await quan1.GetAsync($"/api/v1/staff/units/{BenNghe}", Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal("028 3829 1234", reread.Str("contactPhone"));

        // Where a unit's reports are announced is audited, with the old and new contact.
        var (admin, _) = await app.SignedInAsync(StaffRoles.Admin, null);
        var audit = await (await admin.GetAsync($"/api/v1/staff/audit?entityType=unit&entityId={BenNghe}", Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Contains(audit.EnumerateArray(), a => a.Str("action") == "unit.contact" && a.Str("after").Contains("bennghe@q1.hochiminhcity.gov.vn", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_bad_contact_email_is_a_400_and_changes_nothing()
    {
        var (quan1, _) = await app.SignedInAsync(StaffRoles.UnitOfficer, Quan1);

        var response = await quan1.PutAsJsonAsync($"/api/v1/staff/units/{Quan1}/contact", new { contactEmail = "<script>alert(1)</script>" }, Cancel);

        await response.ReadProblemAsync(HttpStatusCode.BadRequest);
        var unit = await (await quan1.GetAsync($"/api/v1/staff/units/{Quan1}", Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.NotEqual("<script>alert(1)</script>", unit.GetProperty("contactEmail").GetString());
    }

    [Theory]
    [InlineData(StaffRoles.Viewer)]
    [InlineData(StaffRoles.CallAgent)]
    [InlineData(StaffRoles.HealthOfficer)]
    public async Task Roles_without_the_right_get_403_even_inside_their_scope(string role)
    {
        var (client, _) = await app.SignedInAsync(role, Hcmc);

        var response = await client.PutAsJsonAsync($"/api/v1/staff/units/{Quan1}/contact", new { contactPhone = "1022" }, Cancel);

        await response.ReadProblemAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task The_staff_list_holds_only_people_of_the_callers_subtree()
    {
        var (quan1, quan1User) = await app.SignedInAsync(StaffRoles.UnitOfficer, Quan1);
        var wardOfficer = await app.CreateStaffAsync(StaffRoles.UnitOfficer, BenNghe);
        var quan3Officer = await app.CreateStaffAsync(StaffRoles.UnitOfficer, Quan3);
        var triage = await app.CreateStaffAsync(StaffRoles.CityTriage, Hcmc);

        var list = await (await quan1.GetAsync("/api/v1/staff/users", Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        var emails = list.EnumerateArray().Select(u => u.Str("email")).ToList();

        Assert.Contains(quan1User.Email, emails);
        Assert.Contains(wardOfficer.Email, emails);
        Assert.DoesNotContain(quan3Officer.Email, emails);
        Assert.DoesNotContain(triage.Email, emails);
        Assert.All(list.EnumerateArray(), u => Assert.Contains(u.GetProperty("unit").Str("code"), new[] { Quan1, BenNghe }));

        await (await quan1.GetAsync($"/api/v1/staff/users/{quan3Officer.Id}", Cancel)).ReadProblemAsync(HttpStatusCode.NotFound);
        var ward = await (await quan1.GetAsync($"/api/v1/staff/users/{wardOfficer.Id}", Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal([StaffRoles.UnitOfficer], ward.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
    }

    [Fact]
    public async Task Only_an_admin_creates_staff_and_bad_requests_name_the_problem()
    {
        var (admin, _) = await app.SignedInAsync(StaffRoles.Admin, null);
        var (officer, _) = await app.SignedInAsync(StaffRoles.UnitOfficer, Quan1);
        var valid = new { email = "moi@q3.test.citizensensor.vn", displayName = "Cán bộ mới", password = "Mot-mat-khau-dai", role = StaffRoles.UnitOfficer, unitCode = Quan3 };

        await (await officer.PostAsJsonAsync("/api/v1/staff/users", valid, Cancel)).ReadProblemAsync(HttpStatusCode.Forbidden);

        var created = await (await admin.PostAsJsonAsync("/api/v1/staff/users", valid, Cancel)).ReadJsonAsync(HttpStatusCode.Created);
        Assert.Equal(Quan3, created.GetProperty("unit").Str("code"));

        var duplicate = await (await admin.PostAsJsonAsync("/api/v1/staff/users", valid, Cancel)).ReadProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(duplicate.GetProperty("errors").TryGetProperty("email", out _), duplicate.GetRawText());

        // The account is audited once, as created by the admin; the refused duplicate left no entry.
        var audit = await (await admin.GetAsync("/api/v1/staff/audit?entityType=staff-user", Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        var entry = Assert.Single(audit.EnumerateArray(), a => a.Str("action") == "staff.create" && a.Str("after").Contains(valid.email, StringComparison.Ordinal));
        Assert.Equal(created.Str("id"), entry.Str("entityId"));
        Assert.Contains("@", entry.Str("actor"), StringComparison.Ordinal);

        var unknownUnit = await (await admin.PostAsJsonAsync("/api/v1/staff/users", new { email = "x@test.vn", displayName = "X", password = "Mot-mat-khau-dai", role = StaffRoles.UnitOfficer, unitCode = "00000" }, Cancel))
            .ReadProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(unknownUnit.GetProperty("errors").TryGetProperty("unitCode", out _));

        var weak = await (await admin.PostAsJsonAsync("/api/v1/staff/users", new { email = "y@test.vn", displayName = "Y", password = "short", role = StaffRoles.Viewer, unitCode = Hcmc }, Cancel))
            .ReadProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(weak.GetProperty("errors").TryGetProperty("password", out _));

        var role = await (await admin.PostAsJsonAsync("/api/v1/staff/users", new { email = "z@test.vn", displayName = "Z", password = "Mot-mat-khau-dai", role = "Mayor", unitCode = Hcmc }, Cancel))
            .ReadProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(role.GetProperty("errors").TryGetProperty("role", out _));
    }
}
