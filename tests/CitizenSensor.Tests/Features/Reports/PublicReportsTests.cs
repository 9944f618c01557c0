using System.Net;

namespace CitizenSensor.Tests.Features.Reports;

/// <summary>The public list and map: what reached a unit, nothing personal, locations rounded.</summary>
public sealed class PublicReportsTests(CitizenApp app) : IClassFixture<CitizenApp>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Routed_reports_are_listed_without_text_or_reporter_and_with_rounded_locations()
    {
        var client = app.CreateClient();
        var routed = await client.SubmitAsync(new { description = "Quán cà phê vẫn cho khách ngồi tại chỗ, đông người", lat = 10.778123, lng = 106.699877, reporter = new { name = "Lê Thị Mai", phone = "0912 000 111" } });
        var outside = await client.SubmitAsync(new { description = "Quán cà phê vẫn cho khách ngồi tại chỗ ở Đà Nẵng", lat = 16.0544, lng = 108.2022 });
        await client.WaitProcessedAsync(routed);
        await client.WaitProcessedAsync(outside);

        var raw = await client.GetStringAsync("/api/v1/reports?limit=500", Cancel);
        var list = System.Text.Json.JsonDocument.Parse(raw).RootElement;

        var item = Assert.Single(list.EnumerateArray(), r => r.Str("code") == routed);
        Assert.DoesNotContain(list.EnumerateArray(), r => r.Str("code") == outside); // needs triage: not public
        Assert.Equal("760", item.GetProperty("unit").Str("code"));
        var lat = item.GetProperty("lat").GetDouble();
        var lng = item.GetProperty("lng").GetDouble();
        Assert.NotEqual(10.778123, lat);
        Assert.InRange(CitizenSensor.Features.Reports.DuplicateFinder.Distance(10.778123, 106.699877, lat, lng), 1, 60);
        Assert.DoesNotContain("Mai", raw, StringComparison.Ordinal);
        Assert.DoesNotContain("khách ngồi", raw, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_list_filters_by_district_and_category_in_the_api_and_on_the_page()
    {
        var client = app.CreateClient();
        var quan1 = await client.SubmitAsync(new { description = "Nhà hàng mở cửa bán tại chỗ, khách ngồi kín bàn", address = "phường Bến Nghé, quận 1" });
        var quan3 = await client.SubmitAsync(new { description = "Nhà hàng mở cửa bán tại chỗ, khách ngồi đông", address = "phường 1, quận 3" });
        await client.WaitProcessedAsync(quan1);
        await client.WaitProcessedAsync(quan3);

        var onlyQuan3 = await (await client.GetAsync("/api/v1/reports?unit=770&category=business", Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Contains(onlyQuan3.EnumerateArray(), r => r.Str("code") == quan3);
        Assert.DoesNotContain(onlyQuan3.EnumerateArray(), r => r.Str("code") == quan1);
        Assert.Empty((await (await client.GetAsync("/api/v1/reports?unit=770&category=question", Cancel)).ReadJsonAsync(HttpStatusCode.OK)).EnumerateArray());

        var page = await client.GetStringAsync("/reports?unit=760", Cancel);
        Assert.Contains($"data-code=\"{quan1}\"", page, StringComparison.Ordinal);
        Assert.DoesNotContain($"data-code=\"{quan3}\"", page, StringComparison.Ordinal);

        await (await client.GetAsync("/api/v1/reports?limit=0", Cancel)).ReadProblemAsync(HttpStatusCode.BadRequest);
    }
}
