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
    [InlineData(10.77900, 106.70040, "Chợ tự phát họp đông người, không ai đeo khẩu trang")] // 120 m away, about something else
    [InlineData(10.77700, 106.70050, "Nhà bên cạnh mở nhạc to, đánh bài ăn tiền cả đêm")] // 120 m away, same category, different story
    public async Task Reports_that_are_far_of_another_kind_or_about_something_else_are_not_flagged(double lat, double lng, string description)
    {
        var client = app.CreateClient();
        var anchor = await client.SubmitAsync(new { description = "Quán karaoke số 40 đường Pasteur hát ầm ĩ tới khuya, tụ tập nhậu", lat = 10.77800, lng = 106.70000 });
        await client.WaitProcessedAsync(anchor);

        var response = await client.PostAsJsonAsync("/api/v1/reports", new { description, lat, lng }, Cancel);

        var created = await response.ReadJsonAsync(HttpStatusCode.Created);
        Assert.DoesNotContain(created.GetProperty("likelyDuplicates").EnumerateArray(), d => d.Str("code") == anchor);
    }

    [Fact]
    public async Task Four_reports_of_one_karaoke_bar_in_different_words_and_categories_point_to_the_first()
    {
        var client = app.CreateClient();
        var first = await client.SubmitAsync(new { description = "Quán karaoke Hoa Hồng vẫn hát ầm ĩ tới khuya", lat = 10.80000, lng = 106.66000 });
        var later = new (string Text, double Lat, double Lng)[]
        {
            ("Nhiều người tụ tập đông đúc trước cửa, không ai đeo khẩu trang", 10.80011, 106.66000), // 12 m
            ("Cơ sở kinh doanh mở cửa bất chấp lệnh tạm dừng", 10.80000, 106.66025), // 27 m
            ("Nhạc lớn quá, con tôi không ngủ được", 10.80030, 106.66020), // 40 m
        };
        List<string> codes = [first];
        foreach (var (text, lat, lng) in later)
        {
            app.Time.Advance(TimeSpan.FromMinutes(2));
            var created = await (await client.PostAsJsonAsync("/api/v1/reports", new { description = text, lat, lng }, Cancel)).ReadJsonAsync(HttpStatusCode.Created);
            var flagged = Assert.Single(created.GetProperty("likelyDuplicates").EnumerateArray(), d => d.Str("code") == first);
            Assert.Contains("place-and-time", flagged.GetProperty("reasons").EnumerateArray().Select(r => r.GetString()));
            Assert.InRange(flagged.GetProperty("distanceMeters").GetDouble(), 10, 45);
            codes.Add(created.Str("code"));
        }

        // The classifier put them in different categories; the officer sees the first one from the last anyway.
        var categories = new HashSet<string?>();
        foreach (var code in codes)
        {
            categories.Add((await client.WaitProcessedAsync(code)).GetProperty("category").Str("code"));
        }

        Assert.True(categories.Count >= 2, string.Join(", ", categories));
        var (officer, _) = await app.SignedInAsync(StaffRoles.Admin, null);
        var detail = await (await officer.GetAsync($"/api/v1/staff/reports/{codes[^1]}", Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Contains(detail.GetProperty("likelyDuplicates").EnumerateArray(), d => d.Str("code") == first);
    }

    [Fact]
    public async Task The_same_corner_hours_later_in_other_words_is_not_flagged()
    {
        var client = app.CreateClient();
        var first = await client.SubmitAsync(new { description = "Quán karaoke Ánh Dương hát ầm ĩ tới khuya", lat = 10.81000, lng = 106.67000 });
        app.Time.Advance(TimeSpan.FromHours(3));

        var created = await (await client.PostAsJsonAsync("/api/v1/reports", new { description = "Chợ tự phát họp đông người, không ai đeo khẩu trang", lat = 10.81010, lng = 106.67000 }, Cancel)).ReadJsonAsync(HttpStatusCode.Created);

        Assert.DoesNotContain(created.GetProperty("likelyDuplicates").EnumerateArray(), d => d.Str("code") == first);
    }
}
