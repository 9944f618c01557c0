using System.Net;
using System.Net.Http.Json;
using CitizenSensor.Features.Staff;

namespace CitizenSensor.Tests.Features.Reports;

/// <summary>Several residents report the same thing: they are told, and the officer sees it and can merge.</summary>
public sealed class DuplicateTests(CitizenApp app) : IClassFixture<CitizenApp>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_similar_report_nearby_is_flagged_on_submission_and_in_the_officers_view()
    {
        var client = app.CreateClient();
        var first = await client.SubmitAsync(new { description = "Quán karaoke số 12 đường Lý Tự Trọng hát ầm ĩ tới khuya, tụ tập nhậu", lat = 10.76000, lng = 106.69000 });
        await client.WaitProcessedAsync(first);

        var response = await client.PostAsJsonAsync("/api/v1/reports", new { description = "karaoke duong Ly Tu Trong hat am i toi khuya, nhau nhet on ao", lat = 10.76050, lng = 106.69040 }, Cancel);

        var second = await response.ReadJsonAsync(HttpStatusCode.Created);
        var flagged = Assert.Single(second.GetProperty("likelyDuplicates").EnumerateArray());
        Assert.Equal(first, flagged.Str("code"));
        Assert.InRange(flagged.GetProperty("distanceMeters").GetDouble(), 50, 100);

        var code = second.Str("code");
        await client.WaitProcessedAsync(code);
        var (officer, _) = await app.SignedInAsync(StaffRoles.Admin, null);
        var detail = await (await officer.GetAsync($"/api/v1/staff/reports/{code}", Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(first, Assert.Single(detail.GetProperty("likelyDuplicates").EnumerateArray()).Str("code"));

        var merged = await (await officer.PostAsJsonAsync($"/api/v1/staff/reports/{code}/reject", new { reason = "duplicate", duplicateOf = first }, Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal("rejected", merged.Str("status"));
    }

    [Theory]
    [InlineData(10.78300, 106.70000, "Quán karaoke hát ầm ĩ tới khuya, tụ tập nhậu")] // ~550 m away
    [InlineData(10.77810, 106.70010, "Chợ tự phát họp đông người, không ai đeo khẩu trang")] // next door, other category
    [InlineData(10.77810, 106.70010, "Nhà bên cạnh mở nhạc to, đánh bài ăn tiền cả đêm")] // same category, different story
    public async Task Reports_that_are_far_of_another_kind_or_about_something_else_are_not_flagged(double lat, double lng, string description)
    {
        var client = app.CreateClient();
        var anchor = await client.SubmitAsync(new { description = "Quán karaoke số 40 đường Pasteur hát ầm ĩ tới khuya, tụ tập nhậu", lat = 10.77800, lng = 106.70000 });
        await client.WaitProcessedAsync(anchor);

        var response = await client.PostAsJsonAsync("/api/v1/reports", new { description, lat, lng }, Cancel);

        var created = await response.ReadJsonAsync(HttpStatusCode.Created);
        Assert.DoesNotContain(created.GetProperty("likelyDuplicates").EnumerateArray(), d => d.Str("code") == anchor);
    }
}
