using System.Net;
using System.Net.Http.Json;
using CitizenSensor.Data;
using CitizenSensor.Features.Reports;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CitizenSensor.Tests.Features.Reports;

/// <summary>POST /api/v1/reports: what is accepted, what is refused and why, and that nothing is lost or doubled.</summary>
public sealed class IntakeTests(CitizenApp app) : IClassFixture<CitizenApp>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_report_is_acknowledged_with_a_readable_code_and_a_tracking_url()
    {
        var response = await app.CreateClient().PostAsJsonAsync("/api/v1/reports", ReportClient.Valid(), Cancel);

        var body = await response.ReadJsonAsync(HttpStatusCode.Created);
        var code = body.Str("code");
        Assert.Equal(10, code.Length);
        Assert.All(code, c => Assert.Contains(c, Report.CodeAlphabet));
        Assert.DoesNotContain(code, c => c is '0' or 'O' or '1' or 'I');
        Assert.Equal("received", body.Str("status"));
        Assert.EndsWith($"/r/{code}", body.Str("trackingUrl"), StringComparison.Ordinal);
        Assert.Equal($"/api/v1/reports/{code}", response.Headers.Location?.OriginalString);

        var stored = await (await app.CreateClient().GetAsync($"/api/v1/reports/{code.ToLowerInvariant()}", Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(code, stored.Str("code"));
    }

    public static TheoryData<string, string> BadReports => new()
    {
        { """{"description": "ngắn quá", "lat": 10.77, "lng": 106.7}""", "description" },
        { $$"""{"description": "{{new string('x', 4001)}}", "lat": 10.77, "lng": 106.7}""", "description" },
        { """{"description": "      ngắn        ", "lat": 10.77, "lng": 106.7}""", "description" },
        { """{"description": "Quán nhậu mở nhạc rất to cả đêm", "lat": 91, "lng": 106.7}""", "lat" },
        { """{"description": "Quán nhậu mở nhạc rất to cả đêm", "lat": 10.7, "lng": 181}""", "lng" },
        { """{"description": "Quán nhậu mở nhạc rất to cả đêm", "lat": 10.7}""", "lng" },
        { """{"description": "Quán nhậu mở nhạc rất to cả đêm"}""", "location" },
        { """{"description": "Quán nhậu mở nhạc rất to cả đêm", "address": "Quận 1", "category": "ufo"}""", "category" },
        { """{"description": "Quán nhậu mở nhạc rất to cả đêm", "address": "Quận 1", "reporter": {"phone": "12345"}}""", "reporter.phone" },
        { """{"description": "Quán nhậu mở nhạc rất to cả đêm", "address": "Quận 1", "reporter": {"email": "not-an-email"}}""", "reporter.email" },
        { """{"description": "Quán nhậu mở nhạc rất to cả đêm", "address": "Quận 1", "anonymous": true, "reporter": {"name": "An"}}""", "reporter" },
        { """{"description": "<script>alert('x')</script> quán mở cửa", "address": "Quận 1"}""", "description" },
        { """{"description": "Quán nhậu mở nhạc rất to cả đêm", "address": "<img src=x onerror=alert(1)>"}""", "address" },
        { """{"description": "Quán nhậu mở nhạc rất to cả đêm", "address": "Quận 1", "reporter": {"name": "<b>An</b>"}}""", "reporter.name" },
        { """{"description": "Quán nhậu mở nhạc rất to cả đêm", "address": "Quận 1", "webhookUrl": "not a url"}""", "webhookUrl" },
        { """{"description": "Quán nhậu mở nhạc rất to cả đêm", "address": "Quận 1", "webhookUrl": "http://app.example.org/hook"}""", "webhookUrl" },
        { """{"description": "Quán nhậu mở nhạc rất to cả đêm", "address": "Quận 1", "webhookUrl": "ftp://app.example.org/hook"}""", "webhookUrl" },
        { """{"description": "Quán nhậu mở nhạc rất to cả đêm", "address": "Quận 1", "webhookUrl": "https://127.0.0.1/hook"}""", "webhookUrl" },
        { """{"description": "Quán nhậu mở nhạc rất to cả đêm", "address": "Quận 1", "webhookUrl": "https://169.254.169.254/latest/meta-data"}""", "webhookUrl" },
        { """{"description": "Quán nhậu mở nhạc rất to cả đêm", "address": "Quận 1", "webhookUrl": "https://10.1.2.3/hook"}""", "webhookUrl" },
        { """{"description": "Quán nhậu mở nhạc rất to cả đêm", "address": "Quận 1", "webhookUrl": "https://[::1]/hook"}""", "webhookUrl" },
        { """{"description": "Quán nhậu mở nhạc rất to cả đêm", "address": "Quận 1", "webhookUrl": "https://[::ffff:192.168.1.1]/hook"}""", "webhookUrl" },
        { """{"description": "Quán nhậu mở nhạc rất to cả đêm", "address": "Quận 1", "webhookUrl": "https://user:pw@app.example.org/hook"}""", "webhookUrl" },
        { """{"description": "Quán nhậu mở nhạc rất to cả đêm", "address": "Quận 1", "webhookUrl": "https://[::127.0.0.1]/hook"}""", "webhookUrl" },
        { """{"description": "Quán nhậu mở nhạc rất to cả đêm", "address": "Quận 1", "webhookUrl": "https://[2002:7f00:1::1]/hook"}""", "webhookUrl" },
        { """{"description": "Quán nhậu mở nhạc rất to cả đêm", "address": "Quận 1", "webhookUrl": "https://[2002:c0a8:101::1]/hook"}""", "webhookUrl" },
        { """{"description": "Quán nhậu mở nhạc rất to cả đêm", "address": "Quận 1", "webhookUrl": "https://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/hook"}""", "webhookUrl" },
        { """{"description": "Quán nhậu mở nhạc rất to cả đêm", "address": "Quận 1", "webhookUrl": "https://[64:ff9b::7f00:1]/hook"}""", "webhookUrl" },
        { """{"description": "Quán nhậu mở nhạc rất to cả đêm", "address": "Quận 1", "webhookUrl": "https://[::ffff:7f00:1]/hook"}""", "webhookUrl" },
        { """{"description": "Quán nhậu\u0000 mở nhạc rất to cả đêm", "address": "Quận 1"}""", "description" },
        { """{"description": "Quán nhậu mở nhạc\u001b[2J rất to cả đêm", "address": "Quận 1"}""", "description" },
        { """{"description": "\u200b\u200b\u200b\u200b\u200b\u200b\u200b\u200b\u200b\u200b\u200b\u200b", "address": "Quận 1"}""", "description" },
        { """{"description": "Quán nhậu mở nhạc rất to cả đêm", "address": "Quận 1\u0000"}""", "address" },
        { """{"description": "Quán nhậu mở nhạc rất to cả đêm", "address": "Quận 1", "reporter": {"name": "An\u0000"}}""", "reporter.name" },
        { """{"description": "Quán nhậu mở nhạc rất to cả đêm", "address": "Quận 1", "reporter": {"name": "\u200b\u200b"}}""", "reporter.name" },
    };

    [Theory]
    [MemberData(nameof(BadReports))]
    public async Task Bad_reports_are_400_problems_naming_the_field_and_nothing_is_stored(string json, string field)
    {
        var before = await CountReportsAsync();
        using var content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");

        var response = await app.CreateClient().PostAsync("/api/v1/reports", content, Cancel);

        var problem = await response.ReadProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out var messages), problem.GetRawText());
        Assert.Contains(field.Split('.')[^1], messages[0].GetString(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(before, await CountReportsAsync());
    }

    [Theory]
    [InlineData("""{"description": "Quán nhậu mở nhạc rất to cả đêm", "lat": "mười", "lng": 106.7}""", "$.lat")]
    [InlineData("""{"description": 12345678901, "address": "Quận 1"}""", "$.description")]
    [InlineData("""{"description": "Quán nhậu mở nhạc""", "JSON")]
    public async Task Wrong_types_and_broken_json_are_400_problems_that_point_at_the_spot(string json, string mention)
    {
        using var content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");

        var response = await app.CreateClient().PostAsync("/api/v1/reports", content, Cancel);

        var problem = await response.ReadProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains(mention, problem.Str("detail"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Less_than_and_greater_than_signs_are_text_not_markup()
    {
        var code = await app.CreateClient().SubmitAsync(ReportClient.Valid("Tiệm thuốc bán khẩu trang giá > 100k một hộp, giá thường < 40k"));

        var page = await app.CreateClient().GetStringAsync($"/r/{code}", Cancel);
        Assert.Contains(code, page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_retry_with_the_same_idempotency_key_returns_the_same_report()
    {
        var key = Guid.NewGuid().ToString();
        var body = ReportClient.Valid("Nhà hàng trên đường Lê Lợi vẫn bán tại chỗ sau 18h, khách ngồi kín bàn");

        var first = await app.CreateClient().SubmitAsync(body, key);
        using var retry = new HttpRequestMessage(HttpMethod.Post, "/api/v1/reports") { Content = JsonContent.Create(body) };
        retry.Headers.Add("Idempotency-Key", key);
        var second = await app.CreateClient().SendAsync(retry, Cancel);

        var replayed = await second.ReadJsonAsync(HttpStatusCode.Created);
        Assert.Equal(first, replayed.Str("code"));
        Assert.Equal("true", second.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(1, await CountReportsAsync(key));
    }

    [Fact]
    public async Task Concurrent_retries_with_one_key_make_one_report()
    {
        var key = Guid.NewGuid().ToString();
        var body = ReportClient.Valid("Công ty may ở Bình Tân vẫn bắt công nhân đi làm, không có phương án 3 tại chỗ");

        var codes = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => app.CreateClient().SubmitAsync(body, key)));

        Assert.Single(codes.Distinct());
        Assert.Equal(1, await CountReportsAsync(key));
    }

    [Fact]
    public async Task Reusing_a_key_for_a_different_report_is_a_422()
    {
        var key = Guid.NewGuid().ToString();
        await app.CreateClient().SubmitAsync(ReportClient.Valid("Quán karaoke ở Gò Vấp mở cửa đón khách cả tối qua"), key);
        using var other = new HttpRequestMessage(HttpMethod.Post, "/api/v1/reports") { Content = JsonContent.Create(ReportClient.Valid("Một nội dung hoàn toàn khác, chợ tự phát đông người")) };
        other.Headers.Add("Idempotency-Key", key);

        var response = await app.CreateClient().SendAsync(other, Cancel);

        await response.ReadProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Equal(1, await CountReportsAsync(key));
    }

    [Fact]
    public async Task The_public_view_has_no_personal_data()
    {
        var code = await app.CreateClient().SubmitAsync(new
        {
            description = "Hàng xóm đi cách ly về nhưng không khai báo, còn ra chợ mỗi sáng",
            address = "phường Bến Nghé, quận 1",
            reporter = new { name = "Nguyễn Thị Hoa", phone = "0909 123 456", email = "hoa@example.vn" },
        });

        var raw = await app.CreateClient().GetStringAsync($"/api/v1/reports/{code}", Cancel);

        Assert.DoesNotContain("Hoa", raw, StringComparison.Ordinal);
        Assert.DoesNotContain("0909123456", raw, StringComparison.Ordinal);
        Assert.DoesNotContain("example.vn", raw, StringComparison.Ordinal);
        Assert.DoesNotContain("Bến Nghé", raw, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_code_is_a_404()
    {
        var response = await app.CreateClient().GetAsync("/api/v1/reports/ZZZZZZZZZZ", Cancel);

        await response.ReadProblemAsync(HttpStatusCode.NotFound);
    }

    private async Task<int> CountReportsAsync(string? key = null)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CitizenDb>();
        return await db.Reports.CountAsync(r => key == null || r.IdempotencyKey == key, Cancel);
    }
}
