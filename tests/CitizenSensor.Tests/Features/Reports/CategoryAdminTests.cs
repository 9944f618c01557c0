using System.Net;
using System.Net.Http.Json;
using CitizenSensor.Features.Staff;

namespace CitizenSensor.Tests.Features.Reports;

/// <summary>Categories as data: the public reads them, Admin edits, adds and retires them, and every change is audited.</summary>
public sealed class CategoryAdminTests(CitizenApp app) : IClassFixture<CitizenApp>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_public_list_has_the_seven_categories_in_both_languages()
    {
        var categories = await (await app.CreateClient().GetAsync("/api/v1/categories", Cancel)).ReadJsonAsync(HttpStatusCode.OK);

        var codes = categories.EnumerateArray().Select(c => c.Str("code")).ToList();
        Assert.Subset(codes.ToHashSet(), new HashSet<string> { "business", "crowding", "public-order", "suspected-case", "suggestion", "question", "other" });
        var crowding = categories.EnumerateArray().Single(c => c.Str("code") == "crowding");
        Assert.StartsWith("Tụ tập", crowding.Str("nameVi"), StringComparison.Ordinal);
        Assert.StartsWith("Crowding", crowding.Str("nameEn"), StringComparison.Ordinal);
        Assert.Equal(5, crowding.GetProperty("forwardWithinMinutes").GetInt32());
        Assert.True(crowding.GetProperty("usedByClassifier").GetBoolean());
    }

    [Fact]
    public async Task Admin_renames_a_category_and_changes_its_deadline_which_new_reports_follow()
    {
        var (admin, _) = await app.SignedInAsync(StaffRoles.Admin, null);

        var edited = await (await admin.PutAsJsonAsync("/api/v1/staff/categories/public-order",
            new { nameVi = "Tụ tập ăn nhậu, karaoke, đánh bạc", resolveWithinMinutes = 45 }, Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal("Tụ tập ăn nhậu, karaoke, đánh bạc", edited.Str("nameVi"));
        Assert.Equal(45, edited.GetProperty("resolveWithinMinutes").GetInt32());
        Assert.Equal(5, edited.GetProperty("forwardWithinMinutes").GetInt32()); // not given, not changed

        var client = app.CreateClient();
        var code = await client.SubmitAsync(new { description = "Nhóm thanh niên tụ tập nhậu nhẹt, hát karaoke ầm ĩ tới 2 giờ sáng", address = "phường Bến Nghé, quận 1" });
        var report = await client.WaitProcessedAsync(code);
        Assert.Equal("public-order", report.GetProperty("category").Str("code"));
        Assert.Equal("Tụ tập ăn nhậu, karaoke, đánh bạc", report.GetProperty("category").Str("name"));
        Assert.Equal(report.GetProperty("routedAt").GetDateTimeOffset().AddMinutes(45), report.GetProperty("dueAt").GetDateTimeOffset());

        var form = await client.GetStringAsync("/report", Cancel);
        Assert.Contains("Tụ tập ăn nhậu, karaoke, đánh bạc", form, StringComparison.Ordinal);

        var audit = await (await admin.GetAsync("/api/v1/staff/audit?entityType=category&entityId=public-order", Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        var entry = audit.EnumerateArray().First();
        Assert.Equal("category.update", entry.Str("action"));
        Assert.Contains("\"resolveWithinMinutes\":60", entry.Str("before"), StringComparison.Ordinal);
        Assert.Contains("\"resolveWithinMinutes\":45", entry.Str("after"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_new_category_can_be_chosen_goes_to_the_triage_desk_and_can_be_retired()
    {
        var (admin, _) = await app.SignedInAsync(StaffRoles.Admin, null);
        var created = await (await admin.PostAsJsonAsync("/api/v1/staff/categories",
            new { code = "flooding", nameVi = "Ngập úng sau mưa", nameEn = "Flooding after rain", resolveWithinMinutes = 120 }, Cancel)).ReadJsonAsync(HttpStatusCode.Created);
        Assert.False(created.GetProperty("usedByClassifier").GetBoolean());
        await (await admin.PostAsJsonAsync("/api/v1/staff/categories", new { code = "flooding", nameVi = "Ngập", nameEn = "Flood" }, Cancel)).ReadProblemAsync(HttpStatusCode.Conflict);

        var client = app.CreateClient();
        var code = await client.SubmitAsync(new { description = "Đường Nguyễn Hữu Cảnh ngập sâu nửa mét sau cơn mưa chiều nay", address = "phường 22, quận Bình Thạnh", category = "flooding" });
        var report = await client.WaitProcessedAsync(code);
        Assert.Equal("needs-triage", report.Str("status"));
        Assert.Equal("flooding", report.GetProperty("category").Str("code"));

        await (await admin.PutAsJsonAsync("/api/v1/staff/categories/flooding", new { active = false }, Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        var publicList = await (await client.GetAsync("/api/v1/categories", Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.DoesNotContain(publicList.EnumerateArray(), c => c.Str("code") == "flooding");
        var all = await (await admin.GetAsync("/api/v1/staff/categories", Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.False(all.EnumerateArray().Single(c => c.Str("code") == "flooding").GetProperty("active").GetBoolean());
        var refused = await client.PostAsJsonAsync("/api/v1/reports", new { description = "Đường ngập sâu sau mưa lớn, xe chết máy", address = "quận 1", category = "flooding" }, Cancel);
        var problem = await refused.ReadProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("category", out _));
    }

    [Fact]
    public async Task A_category_the_classifier_uses_cannot_be_retired()
    {
        var (admin, _) = await app.SignedInAsync(StaffRoles.Admin, null);

        var response = await admin.PutAsJsonAsync("/api/v1/staff/categories/business", new { active = false }, Cancel);

        var problem = await response.ReadProblemAsync(HttpStatusCode.Conflict);
        Assert.Contains("classifier", problem.Str("detail"), StringComparison.Ordinal);
    }

    public static TheoryData<string, string, string> BadChanges => new()
    {
        { "PUT", """{"nameVi": "x"}""", "nameVi" },
        { "PUT", """{"nameEn": "<script>alert(1)</script>"}""", "nameEn" },
        { "PUT", """{"forwardWithinMinutes": 0}""", "forwardWithinMinutes" },
        { "PUT", """{"resolveWithinMinutes": 50000}""", "resolveWithinMinutes" },
        { "PUT", """{"sortOrder": -1}""", "sortOrder" },
        { "POST", """{"code": "Flooding!", "nameVi": "Ngập úng", "nameEn": "Flooding"}""", "code" },
        { "POST", """{"code": "noise", "nameEn": "Noise"}""", "nameVi" },
    };

    [Theory]
    [MemberData(nameof(BadChanges))]
    public async Task Bad_changes_are_400_problems_naming_the_field_and_change_nothing(string method, string json, string field)
    {
        var (admin, _) = await app.SignedInAsync(StaffRoles.Admin, null);
        var before = await (await admin.GetAsync("/api/v1/staff/categories", Cancel)).Content.ReadAsStringAsync(Cancel);
        using var request = new HttpRequestMessage(new HttpMethod(method), method == "PUT" ? "/api/v1/staff/categories/question" : "/api/v1/staff/categories")
        {
            Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json"),
        };

        var problem = await (await admin.SendAsync(request, Cancel)).ReadProblemAsync(HttpStatusCode.BadRequest);

        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.GetRawText());
        Assert.Equal(before, await (await admin.GetAsync("/api/v1/staff/categories", Cancel)).Content.ReadAsStringAsync(Cancel));
    }

    [Fact]
    public async Task An_unknown_category_is_a_404()
    {
        var (admin, _) = await app.SignedInAsync(StaffRoles.Admin, null);

        var response = await admin.PutAsJsonAsync("/api/v1/staff/categories/ufo", new { nameVi = "Vật thể lạ" }, Cancel);

        await response.ReadProblemAsync(HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData(StaffRoles.CityTriage)]
    [InlineData(StaffRoles.UnitOfficer)]
    [InlineData(StaffRoles.Viewer)]
    public async Task Only_admin_may_change_categories(string role)
    {
        var (staff, _) = await app.SignedInAsync(role, role == StaffRoles.UnitOfficer ? "760" : "79");

        var response = await staff.PutAsJsonAsync("/api/v1/staff/categories/other", new { nameVi = "Khác nữa" }, Cancel);
        var anonymous = await app.CreateClient().PutAsJsonAsync("/api/v1/staff/categories/other", new { nameVi = "Khác nữa" }, Cancel);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        var other = (await (await app.CreateClient().GetAsync("/api/v1/categories", Cancel)).ReadJsonAsync(HttpStatusCode.OK))
            .EnumerateArray().Single(c => c.Str("code") == "other");
        Assert.Equal("Nội dung khác", other.Str("nameVi"));
    }
}
