using System.Net;
using CitizenSensor.Data;
using CitizenSensor.Features.Reports;
using CitizenSensor.Features.Staff;
using CitizenSensor.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CitizenSensor.Tests.Features.Reports;

/// <summary>
/// A resolved report's fine is shown as money in the page's language: "30.000.000 ₫" in Vietnamese and
/// "30,000,000 ₫" in English, on the staff report page and on the statistics page's total.
/// </summary>
public sealed class FineDisplayTests(CitizenApp app) : IClassFixture<CitizenApp>
{
    private const string GoVap = "764";

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_fine_of_thirty_million_reads_as_dong_in_vietnamese_and_english()
    {
        var code = await SeedResolvedAsync(new DateOnly(2021, 8, 2), 30_000_000);
        var officer = await app.CreateStaffAsync(StaffRoles.UnitOfficer, GoVap);
        var pages = await StaffPages.SignInAsync(app, officer.Email!);

        var reportVi = await TextAsync(pages, $"/staff/reports/{code}");
        Assert.Contains("30.000.000\u00A0₫", reportVi, StringComparison.Ordinal);
        var reportEn = await TextAsync(pages, $"/staff/reports/{code}?culture=en");
        Assert.Contains("30,000,000\u00A0₫", reportEn, StringComparison.Ordinal);

        var statsVi = await TextAsync(pages, "/staff/reports/stats?from=2021-08-02&to=2021-08-02");
        Assert.Contains("id=\"fines\">30.000.000\u00A0₫<", statsVi, StringComparison.Ordinal);
        var statsEn = await TextAsync(pages, "/staff/reports/stats?from=2021-08-02&to=2021-08-02&culture=en");
        Assert.Contains("id=\"fines\">30,000,000\u00A0₫<", statsEn, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("vi", 0, "0\u00A0₫")]
    [InlineData("vi", 1_500, "1.500\u00A0₫")]
    [InlineData("en", 1_000_000_000_000, "1,000,000,000,000\u00A0₫")]
    public void Dong_has_the_cultures_group_separator_and_no_decimals(string culture, long amount, string expected) =>
        Assert.Equal(expected, Money.Dong(amount, System.Globalization.CultureInfo.GetCultureInfo(culture)));

    private static async Task<string> TextAsync(StaffPages pages, string path)
    {
        var response = await pages.Client.GetAsync(path, Cancel);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync(Cancel));
    }

    private async Task<string> SeedResolvedAsync(DateOnly day, long fine)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CitizenDb>();
        var path = await db.Units.IgnoreQueryFilters().Where(u => u.Code == GoVap).Select(u => u.UnitPath).SingleAsync(Cancel);
        var submitted = CityTime.StartOfDay(day).AddHours(9);
        var report = new Report
        {
            Code = Report.NewCode(),
            Description = "Quán karaoke mở cửa trong thời gian giãn cách",
            Channel = ReportChannels.Web,
            Status = ReportStatus.Resolved,
            CategoryCode = Category.Business,
            UnitCode = GoVap,
            UnitPath = path,
            SubmittedAt = submitted,
            RoutedAt = submitted.AddMinutes(3),
            DueAt = submitted.AddMinutes(63),
            ResolvedAt = submitted.AddMinutes(40),
            PublicResult = "Đã lập biên bản và xử phạt chủ quán.",
            FineVnd = fine,
        };
        db.Reports.Add(report);
        await db.SaveChangesAsync(Cancel);
        return report.Code;
    }
}
