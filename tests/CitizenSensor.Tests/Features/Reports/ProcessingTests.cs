using System.Net;
using CitizenSensor.Features.Staff;
using Microsoft.AspNetCore.Hosting;

namespace CitizenSensor.Tests.Features.Reports;

/// <summary>After the acknowledgement: classification and routing in the background.</summary>
public sealed class ProcessingTests(CitizenApp app) : IClassFixture<CitizenApp>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_report_with_a_point_is_classified_and_routed_to_its_district_within_the_SLA()
    {
        var client = app.CreateClient();
        var code = await client.SubmitAsync(ReportClient.Valid("Công viên Tao Đàn sáng nay rất đông người tập thể dục, nhiều người không đeo khẩu trang", 10.7743, 106.6926));

        var report = await client.WaitProcessedAsync(code);

        Assert.Equal("routed", report.Str("status"));
        Assert.Equal("crowding", report.GetProperty("category").Str("code"));
        Assert.Equal("760", report.GetProperty("unit").Str("code"));
        var submitted = report.GetProperty("submittedAt").GetDateTimeOffset();
        var routed = report.GetProperty("routedAt").GetDateTimeOffset();
        Assert.True(routed - submitted <= TimeSpan.FromMinutes(5));
        Assert.Equal(routed.AddMinutes(60), report.GetProperty("dueAt").GetDateTimeOffset());
        Assert.Equal(["received", "routed"], report.GetProperty("history").EnumerateArray().Select(h => h.Str("status")));
    }

    [Theory]
    [InlineData("Quán nhậu ở phường Bến Nghé, quận 1 tụ tập ăn nhậu, hát karaoke tới khuya", "P. Bến Nghé, Q.1", "760")]
    [InlineData("quan cafe trong hem van cho khach ngoi tai cho, ko deo khau trang", "hẻm 45 Quang Trung, P.12, Q. Gò Vấp", "764")]
    [InlineData("Nhà hàng mở cửa bán tại chỗ cho khách, không quét mã QR", "phố Hàng Bạc, Hoàn Kiếm, Hà Nội", "002")]
    public async Task A_report_with_only_an_address_is_routed_by_its_text(string description, string address, string district)
    {
        var client = app.CreateClient();
        var code = await client.SubmitAsync(new { description, address });

        var report = await client.WaitProcessedAsync(code);

        Assert.Equal("routed", report.Str("status"));
        Assert.Equal(district, report.GetProperty("unit").Str("code"));
    }

    [Fact]
    public async Task A_point_in_a_boundary_gap_is_routed_by_its_address_when_the_address_names_the_district()
    {
        var client = app.CreateClient();
        var code = await client.SubmitAsync(ReportClient.Valid("Chợ tự phát họp trước cổng khu dân cư, rất đông người chen chúc", 10.8700, 106.8030, "khu phố 3, TP Thủ Đức"));

        var report = await client.WaitProcessedAsync(code);

        Assert.Equal("routed", report.Str("status"));
        Assert.Equal("769", report.GetProperty("unit").Str("code"));
    }

    [Theory]
    [InlineData(10.8700, 106.8030, null)] // gap between district polygons, no address
    [InlineData(16.0544, 108.2022, null)] // Đà Nẵng: outside every city — flagged, never routed
    [InlineData(null, null, "123 đường Không Tên")] // an address naming no known unit
    public async Task A_report_that_cannot_be_placed_goes_to_triage_not_to_a_guess(double? lat, double? lng, string? address)
    {
        var client = app.CreateClient();
        var code = await client.SubmitAsync(ReportClient.Valid("Quán cà phê vẫn cho khách ngồi tại chỗ, đông người không đeo khẩu trang", lat, lng, address));

        var report = await client.WaitProcessedAsync(code);

        Assert.Equal("needs-triage", report.Str("status"));
        Assert.Equal(System.Text.Json.JsonValueKind.Null, report.GetProperty("unit").ValueKind);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, report.GetProperty("dueAt").ValueKind);

        // The city's triage desk sees it (also when no city could be named); a district's officer does not.
        var (triage, _) = await app.SignedInAsync(StaffRoles.CityTriage, "79");
        var (officer, _) = await app.SignedInAsync(StaffRoles.UnitOfficer, "760");
        await (await triage.GetAsync($"/api/v1/staff/reports/{code}", Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        var queue = await (await triage.GetAsync("/api/v1/staff/reports?status=needs-triage", Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Contains(queue.EnumerateArray(), r => r.Str("code") == code);
        await (await officer.GetAsync($"/api/v1/staff/reports/{code}", Cancel)).ReadProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_report_the_classifier_is_unsure_of_goes_to_triage()
    {
        var client = app.CreateClient();
        var code = await client.SubmitAsync(ReportClient.Valid("xyz abc qwerty 12345 lorem ipsum", 10.7798, 106.6990));

        var report = await client.WaitProcessedAsync(code);

        Assert.Equal("needs-triage", report.Str("status"));
    }

    [Fact]
    public async Task A_report_stored_before_a_crash_is_processed_after_the_restart()
    {
        var database = await TestDatabase.CreateAsync();
        try
        {
            string code;
            await using (var crashed = new StoppedProcessorApp(database))
            {
                await crashed.InitializeAsync();
                code = await crashed.CreateClient().SubmitAsync(ReportClient.Valid("Tiệm tóc trong hẻm vẫn mở cửa cắt tóc cho khách", 10.7798, 106.6990));
                var before = await (await crashed.CreateClient().GetAsync($"/api/v1/reports/{code}", Cancel)).ReadJsonAsync(HttpStatusCode.OK);
                Assert.Equal("received", before.Str("status"));
            }

            await using var restarted = new CitizenApp(database);
            await restarted.InitializeAsync();
            var report = await restarted.CreateClient().WaitProcessedAsync(code);

            Assert.Equal("routed", report.Str("status"));
            Assert.Equal("business", report.GetProperty("category").Str("code"));
        }
        finally
        {
            await database.DisposeAsync();
        }
    }

    /// <summary>An app node that acknowledges reports but dies before processing them.</summary>
    private sealed class StoppedProcessorApp(TestDatabase database) : CitizenApp(database)
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Reports:Processing:Enabled", "false");
        }
    }
}
