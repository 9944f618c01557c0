using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using CitizenSensor.Features.Staff;
using CsvHelper;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace CitizenSensor.Tests.Features.Reports;

/// <summary>
/// Report statistics through HTTP on a known day (<see cref="ReportStatsData"/>): counts, the two promises at the
/// limits' edges, medians, fines, scope, the page in both languages, and the export opened again.
/// </summary>
public sealed class ReportStatsTests(CitizenApp app) : IClassFixture<CitizenApp>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_figures_of_a_known_day_count_on_time_exactly_at_the_limits_and_late_a_second_after()
    {
        var day = new DateOnly(2021, 7, 10);
        await ReportStatsData.SeedAsync(app, day);
        var (officer, _) = await app.SignedInAsync(StaffRoles.UnitOfficer, ReportStatsData.GoVap);

        var stats = await (await officer.GetAsync("/api/v1/stats/reports?from=2021-07-10&to=2021-07-10", Cancel)).ReadJsonAsync(HttpStatusCode.OK);

        Assert.Equal(5, stats.GetProperty("received").GetInt32());
        Assert.Equal(new Dictionary<string, int> { ["business"] = 3, ["crowding"] = 2 }, Counts(stats, "byCategory"));
        Assert.Equal(new Dictionary<string, int> { ["764"] = 5 }, Counts(stats, "byUnit"));
        Assert.Equal(new Dictionary<string, int> { ["web"] = 3, ["phone"] = 1, ["app"] = 1 }, Counts(stats, "byChannel"));
        Assert.Contains(stats.GetProperty("byChannel").EnumerateArray(), c => c.Str("name") == "Điện thoại 1022");

        // Forwarded: at 5:00 (on time), 5:01 (late), 1 and 2 minutes (on time), and one still waiting (late).
        // Results: at the due time (on time), a second after (late), one overdue; the rejected one has none to give.
        var overall = stats.GetProperty("overall");
        Assert.Equal((5, 3, 0.6), (overall.GetProperty("forwarded").GetInt32(), overall.GetProperty("forwardedOnTime").GetInt32(), overall.GetProperty("forwardRate").GetDouble()));
        Assert.Equal((3, 1, 0.3333), (overall.GetProperty("results").GetInt32(), overall.GetProperty("resultsOnTime").GetInt32(), overall.GetProperty("resultRate").GetDouble()));
        var business = stats.GetProperty("ratesByCategory").EnumerateArray().Single(r => r.Str("key") == "business");
        Assert.Equal((0.3333, 0.5), (business.GetProperty("forwardRate").GetDouble(), business.GetProperty("resultRate").GetDouble()));
        var crowding = stats.GetProperty("ratesByCategory").EnumerateArray().Single(r => r.Str("key") == "crowding");
        Assert.Equal((1.0, 0.0), (crowding.GetProperty("forwardRate").GetDouble(), crowding.GetProperty("resultRate").GetDouble()));
        var goVap = Assert.Single(stats.GetProperty("ratesByUnit").EnumerateArray());
        Assert.Equal(0.6, goVap.GetProperty("forwardRate").GetDouble());

        Assert.Equal(3.5, stats.GetProperty("medianMinutesToForward").GetDouble()); // 1, 2, 5, 5.02
        Assert.Equal(60.0, stats.GetProperty("medianMinutesToResult").GetDouble()); // 60, 60.02
        Assert.Equal(2_500_000, stats.GetProperty("finesVnd").GetInt64());
        Assert.Equal(2, stats.GetProperty("finedReports").GetInt32());
        Assert.Equal(1, stats.GetProperty("suspensions").GetInt32());
        var days = stats.GetProperty("byDay").EnumerateArray().ToList();
        Assert.Equal((5, 2), (days.Single().GetProperty("received").GetInt32(), days.Single().GetProperty("resolved").GetInt32()));
    }

    [Fact]
    public async Task Another_citys_staff_see_only_their_own_and_filters_narrow_the_figures()
    {
        var day = new DateOnly(2021, 7, 11);
        await ReportStatsData.SeedAsync(app, day);
        var (haNoi, _) = await app.SignedInAsync(StaffRoles.Viewer, "01");
        var (admin, _) = await app.SignedInAsync(StaffRoles.Admin, null);
        var (officer, _) = await app.SignedInAsync(StaffRoles.UnitOfficer, ReportStatsData.GoVap);
        const string Day = "from=2021-07-11&to=2021-07-11";

        var theirs = await (await haNoi.GetAsync($"/api/v1/stats/reports?{Day}", Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(1, theirs.GetProperty("received").GetInt32());
        Assert.Equal(9_000_000, theirs.GetProperty("finesVnd").GetInt64());
        Assert.Equal(6, (await (await admin.GetAsync($"/api/v1/stats/reports?{Day}", Cancel)).ReadJsonAsync(HttpStatusCode.OK)).GetProperty("received").GetInt32());
        Assert.Equal(2, (await (await officer.GetAsync($"/api/v1/stats/reports?{Day}&category=crowding", Cancel)).ReadJsonAsync(HttpStatusCode.OK)).GetProperty("received").GetInt32());
        Assert.Equal(1, (await (await officer.GetAsync($"/api/v1/stats/reports?{Day}&channel=phone", Cancel)).ReadJsonAsync(HttpStatusCode.OK)).GetProperty("received").GetInt32());

        // Asking for the other city's unit is refused, not answered with zeros.
        await (await haNoi.GetAsync($"/api/v1/stats/reports?{Day}&unit=764", Cancel)).ReadJsonAsync(HttpStatusCode.BadRequest);
        var csv = await (await haNoi.GetAsync($"/api/v1/stats/reports/export?{Day}", Cancel)).Content.ReadAsStringAsync(Cancel);
        Assert.Equal(2, ParseCsv(csv).Count);
    }

    [Theory]
    [InlineData("/api/v1/stats/reports?from=2021-13-01", HttpStatusCode.BadRequest)]
    [InlineData("/api/v1/stats/reports?from=2021-07-10&to=2021-07-01", HttpStatusCode.BadRequest)]
    [InlineData("/api/v1/stats/reports?from=2020-01-01&to=2021-07-01", HttpStatusCode.BadRequest)]
    [InlineData("/api/v1/stats/reports?channel=fax", HttpStatusCode.BadRequest)]
    [InlineData("/api/v1/stats/reports?category=nope", HttpStatusCode.BadRequest)]
    [InlineData("/api/v1/stats/reports/export?format=pdf", HttpStatusCode.BadRequest)]
    public async Task Bad_queries_get_a_clear_400(string path, HttpStatusCode expected)
    {
        var (officer, _) = await app.SignedInAsync(StaffRoles.UnitOfficer, ReportStatsData.GoVap);
        var problem = await (await officer.GetAsync(path, Cancel)).ReadJsonAsync(expected);
        Assert.True(problem.TryGetProperty("errors", out _));
    }

    [Fact]
    public async Task A_health_officer_is_refused_and_nobody_signed_out_gets_in()
    {
        var (health, _) = await app.SignedInAsync(StaffRoles.HealthOfficer, ReportStatsData.GoVap);
        await (await health.GetAsync("/api/v1/stats/reports", Cancel)).ReadJsonAsync(HttpStatusCode.Forbidden);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.CreateClient().GetAsync("/api/v1/stats/reports", Cancel)).StatusCode);
    }

    [Fact]
    public async Task The_csv_export_opens_with_vietnamese_headings_and_words_for_codes()
    {
        var day = new DateOnly(2021, 7, 12);
        var seeded = await ReportStatsData.SeedAsync(app, day);
        var (officer, _) = await app.SignedInAsync(StaffRoles.UnitOfficer, ReportStatsData.GoVap);

        var response = await officer.GetAsync("/api/v1/stats/reports/export?format=csv&from=2021-07-12&to=2021-07-12", Cancel);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("phan-anh-2021-07-12-2021-07-12.csv", response.Content.Headers.ContentDisposition?.FileNameStar ?? response.Content.Headers.ContentDisposition?.FileName);
        var bytes = await response.Content.ReadAsByteArrayAsync(Cancel);
        Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, bytes[..3]);
        var rows = ParseCsv(Encoding.UTF8.GetString(bytes, 3, bytes.Length - 3));
        Assert.Equal(6, rows.Count);
        Assert.Equal("Mã phản ánh", rows[0][0]);
        Assert.Equal("Chuyển đúng hạn", rows[0][9]);
        var onTime = rows.Single(r => r[0] == seeded.OnTime);
        Assert.Equal(["2021-07-12 09:00:00", "Cổng thông tin", "Cơ sở kinh doanh vi phạm", "Quận Gò Vấp"], onTime[1..5]);
        Assert.Equal(["Đã xử lý", "2021-07-12 09:05:00", "5", "Có", "2021-07-12 10:05:00", "60", "Có", "2000000", "Có"], onTime[6..]);
        var late = rows.Single(r => r[0] == seeded.Late);
        Assert.Equal(("Không", "Không"), (late[9], late[12]));
        var rejected = rows.Single(r => r[0] == seeded.Rejected);
        Assert.Equal(("Không xử lý", ""), (rejected[6], rejected[12]));
    }

    [Fact]
    public async Task The_xlsx_export_in_english_has_typed_cells()
    {
        var day = new DateOnly(2021, 7, 13);
        var seeded = await ReportStatsData.SeedAsync(app, day);
        var (officer, _) = await app.SignedInAsync(StaffRoles.UnitOfficer, ReportStatsData.GoVap);

        var response = await officer.GetAsync("/api/v1/stats/reports/export?format=xlsx&from=2021-07-13&to=2021-07-13&culture=en", Cancel);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var document = SpreadsheetDocument.Open(new MemoryStream(await response.Content.ReadAsByteArrayAsync(Cancel)), false);
        var rows = document.WorkbookPart!.WorksheetParts.Single().Worksheet.Descendants<Row>().Select(r => r.Elements<Cell>().ToList()).ToList();
        Assert.Equal(6, rows.Count);
        Assert.Equal("Report code", rows[0][0].InnerText);
        Assert.Equal("Business suspended", rows[0][14].InnerText);
        var onTime = rows.Single(r => r[0].InnerText == seeded.OnTime);
        Assert.Equal("Business violations", onTime[3].InnerText);
        Assert.Equal(new DateTime(2021, 7, 13, 9, 0, 0), DateTime.FromOADate(double.Parse(onTime[1].CellValue!.Text, CultureInfo.InvariantCulture)));
        Assert.Null(onTime[13].DataType); // a number, not text
        Assert.Equal("2000000", onTime[13].CellValue!.Text);
    }

    [Fact]
    public async Task The_page_draws_the_figures_in_vietnamese_and_english_and_exports_the_same()
    {
        var day = new DateOnly(2021, 7, 14);
        await ReportStatsData.SeedAsync(app, day);
        var officer = await app.CreateStaffAsync(StaffRoles.UnitOfficer, ReportStatsData.GoVap);
        var pages = await StaffPages.SignInAsync(app, officer.Email!);

        var vi = await pages.Client.GetStringAsync("/staff/reports/stats?from=2021-07-14&to=2021-07-14", Cancel);
        Assert.Contains("Thống kê phản ánh", vi, StringComparison.Ordinal);
        Assert.Contains("Cơ sở kinh doanh vi phạm", vi, StringComparison.Ordinal);
        Assert.Contains("Điện thoại 1022", vi, StringComparison.Ordinal);
        Assert.Contains("60 %", vi, StringComparison.Ordinal);
        var en = await pages.Client.GetStringAsync("/staff/reports/stats?from=2021-07-14&to=2021-07-14&culture=en", Cancel);
        Assert.Contains("Report statistics", en, StringComparison.Ordinal);
        Assert.Contains("Business violations", en, StringComparison.Ordinal);
        Assert.DoesNotContain(">business<", en, StringComparison.Ordinal);

        var file = await pages.Client.GetAsync("/staff/reports/stats?handler=export&format=csv&from=2021-07-14&to=2021-07-14", Cancel);
        Assert.Equal("text/csv", file.Content.Headers.ContentType?.MediaType);
        Assert.Equal(6, ParseCsv(await file.Content.ReadAsStringAsync(Cancel)).Count);
        var bad = await pages.Client.GetAsync("/staff/reports/stats?from=2021-07-14&to=2021-07-01", Cancel);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("tối đa", await bad.Content.ReadAsStringAsync(Cancel), StringComparison.Ordinal);
    }

    private static Dictionary<string, int> Counts(JsonElement stats, string property) =>
        stats.GetProperty(property).EnumerateArray().ToDictionary(c => c.Str("key"), c => c.GetProperty("received").GetInt32());

    private static List<string[]> ParseCsv(string text)
    {
        using var parser = new CsvParser(new StringReader(text.TrimStart('\uFEFF')), CultureInfo.InvariantCulture);
        var rows = new List<string[]>();
        while (parser.Read())
        {
            rows.Add(parser.Record!);
        }

        return rows;
    }
}
