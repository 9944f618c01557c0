using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using CitizenSensor.Data;
using CitizenSensor.Features.Reports;
using CitizenSensor.Features.Reports.Inbox;
using CitizenSensor.Features.Staff;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CitizenSensor.Tests.Features.Reports;

/// <summary>
/// The staff inbox through HTTP: each filter, search without diacritics, keyset paging past 200, the unit scope, bulk
/// actions with a mix of allowed and refused reports, and the CSV and XLSX exports. Each test tags its reports with a
/// word of its own and searches for it, so the tests sharing the database do not see each other's reports.
/// </summary>
public sealed partial class InboxTests(CitizenApp app) : IClassFixture<CitizenApp>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Each_filter_selects_the_reports_it_names()
    {
        var tag = Tag();
        var now = app.Time.GetUtcNow();
        var a = NewReport(tag, Place.Quan1, ReportStatus.Routed, now.AddHours(-1), ReportChannels.Web, Category.Business);
        var b = NewReport(tag, Place.GoVap, ReportStatus.InProgress, now.AddDays(-3), ReportChannels.Phone, Category.PublicOrder, due: now.AddHours(-2));
        var c = NewReport(tag, Place.Desk, ReportStatus.NeedsTriage, now.AddDays(-10), ReportChannels.Email, null);
        await SeedAsync(a, b, c);
        var desk = (await app.SignedInAsync(StaffRoles.CityTriage, "79")).Client;
        var day = CitizenSensor.Infrastructure.CityTime.DayOf(now);

        Assert.Equal([a.Code, b.Code, c.Code], await CodesAsync(desk, $"q={tag}"));
        Assert.Equal([b.Code], await CodesAsync(desk, $"q={tag}&unit=764"));
        Assert.Equal([a.Code], await CodesAsync(desk, $"q={tag}&ward=26734"));
        Assert.Equal([a.Code], await CodesAsync(desk, $"q={tag}&category={Category.Business}"));
        Assert.Equal([c.Code], await CodesAsync(desk, $"q={tag}&status=needs-triage"));
        Assert.Equal([b.Code], await CodesAsync(desk, $"q={tag}&channel=phone"));
        Assert.Equal([b.Code], await CodesAsync(desk, $"q={tag}&from={day.AddDays(-4):yyyy-MM-dd}&to={day.AddDays(-2):yyyy-MM-dd}"));
        Assert.Equal([b.Code], await CodesAsync(desk, $"q={tag}&overdue=true"));
        Assert.Equal([b.Code], await CodesAsync(desk, $"q={tag}&show=overdue"));
        Assert.Equal([c.Code], await CodesAsync(desk, $"q={tag}&show=needs-triage"));
        Assert.Equal([a.Code, c.Code], await CodesAsync(desk, $"q={tag}&overdue=false"));

        foreach (var bad in new[] { "status=lost", "after=not-a-cursor", "show=everything", "from=2021-08-10&to=2021-08-01", "unit=002" })
        {
            Assert.Equal(HttpStatusCode.BadRequest, (await desk.GetAsync($"/api/v1/staff/reports?{bad}", Cancel)).StatusCode);
        }

        // The page draws the same list, with the names in words rather than codes.
        var pages = await StaffPages.SignInAsync(app, (await app.CreateStaffAsync(StaffRoles.CityTriage, "79")).Email!);
        var html = await pages.Client.GetStringAsync($"/staff/reports?q={tag}&unit=764", Cancel);
        Assert.Contains($"data-code=\"{b.Code}\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain($"data-code=\"{a.Code}\"", html, StringComparison.Ordinal);
        Assert.Contains("Quận Gò Vấp", html, StringComparison.Ordinal);
        Assert.Contains("Phường 15", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Search_ignores_diacritics_in_code_description_and_address()
    {
        var tag = Tag();
        var now = app.Time.GetUtcNow();
        var karaoke = NewReport(tag, Place.GoVap, ReportStatus.Routed, now, ReportChannels.Web, Category.Business,
            description: $"Quán karaoke hát ồn ào tới 2 giờ sáng {tag}", address: "Đường Quang Trung, Gò Vấp");
        var other = NewReport(tag, Place.Quan1, ReportStatus.Routed, now, ReportChannels.Web, Category.Business,
            description: $"Tiệm tóc mở cửa cho khách ngồi chờ {tag}", address: "Đường Pasteur");
        await SeedAsync(karaoke, other);
        var desk = (await app.SignedInAsync(StaffRoles.CityTriage, "79")).Client;

        Assert.Equal([karaoke.Code], await CodesAsync(desk, $"q={tag}+go+vap"));
        Assert.Equal([karaoke.Code], await CodesAsync(desk, $"q={tag}+karaoke"));
        Assert.Equal([karaoke.Code], await CodesAsync(desk, $"q=Gò+Vấp+{tag}+HÁT+ỒN"));
        Assert.Equal([karaoke.Code], await CodesAsync(desk, $"q={karaoke.Code.ToLowerInvariant()}"));
        Assert.Equal(2, (await CodesAsync(desk, $"q={tag}")).Count);
        Assert.Empty(await CodesAsync(desk, $"q={tag}+pasteur+karaoke"));
    }

    [Fact]
    public async Task A_rare_word_is_found_among_many_reports_by_words_of_any_length_and_only_where_it_is_whole()
    {
        var tag = Tag();
        var now = app.Time.GetUtcNow();
        var rare = NewReport(tag, Place.Quan1, ReportStatus.Routed, now.AddDays(-200), ReportChannels.Web, Category.Business,
            description: $"Lò bánh mì {tag} xả khói đen cả ngày", address: "Hẻm 42 Lê Lợi, P.Bến Nghé");
        // Every trigram of "{tag}karaoke" and of "banh" without either word: the index's superset, refused by the text.
        var lookalike = NewReport(tag, Place.Quan1, ReportStatus.Routed, now.AddDays(-1), ReportChannels.Web, Category.Business,
            description: $"{tag}kar karao aoke ban anh", address: "Đường Pasteur");
        var karaoke = NewReport(tag, Place.GoVap, ReportStatus.Routed, now.AddDays(-2), ReportChannels.Web, Category.Business,
            description: $"Quán {tag}karaoke hát tới khuya", address: "Đường Quang Trung, Gò Vấp");
        var others = Enumerable.Range(0, 300).Select(i => NewReport(Tag(), Place.Quan1, ReportStatus.Routed, now.AddMinutes(-i), ReportChannels.Web, Category.Business)).ToArray();
        await SeedAsync([rare, lookalike, karaoke, .. others]);
        var desk = (await app.SignedInAsync(StaffRoles.CityTriage, "79")).Client;

        Assert.Equal([rare.Code], await CodesAsync(desk, $"q={tag}+Bánh+Mì"));
        Assert.Equal([rare.Code], await CodesAsync(desk, $"q={tag}+lo+42")); // two letters and two digits: no trigram
        Assert.Equal([rare.Code], await CodesAsync(desk, $"q={tag}+ben+nghe&unit=760"));
        Assert.Equal([karaoke.Code], await CodesAsync(desk, $"q={tag}karaoke"));
        Assert.Equal([karaoke.Code], await CodesAsync(desk, $"q=KARAOKE+{tag}"));
        Assert.Equal([rare.Code], await CodesAsync(desk, $"q={tag}+banh"));
        Assert.Equal([lookalike.Code, karaoke.Code, rare.Code], await CodesAsync(desk, $"q={tag}"));
        Assert.Empty(await CodesAsync(desk, $"q={tag}+banh+karaoke"));
        Assert.Empty(await CodesAsync(desk, $"q={tag}+zzz"));
        Assert.Empty(await CodesAsync(desk, $"q={tag}&unit=764&status=resolved"));
    }

    [Fact]
    public async Task Reports_stored_before_the_search_column_are_found_once_backfilled()
    {
        var tag = Tag();
        var old = NewReport(tag, Place.GoVap, ReportStatus.Routed, app.Time.GetUtcNow(), ReportChannels.Web, Category.Business, address: "Đường Quang Trung, Gò Vấp");
        await SeedAsync(old);
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<CitizenDb>();
            await db.Reports.Where(r => r.Code == old.Code).ExecuteUpdateAsync(set => set.SetProperty(r => r.SearchText, (string?)null), Cancel);
        }

        var desk = (await app.SignedInAsync(StaffRoles.CityTriage, "79")).Client;
        Assert.Empty(await CodesAsync(desk, $"q={tag}+go+vap"));

        await using (var scope = app.Services.CreateAsyncScope())
        {
            Assert.True(await CitizenSensor.Features.Reports.Inbox.ReportSearch.BackfillAsync(scope.ServiceProvider.GetRequiredService<CitizenDb>(), Cancel) >= 1);
        }

        Assert.Equal([old.Code], await CodesAsync(desk, $"q={tag}+go+vap"));
    }

    [Fact]
    public async Task Paging_by_cursor_goes_past_200_without_repeating_or_missing_a_report()
    {
        var tag = Tag();
        var now = app.Time.GetUtcNow();
        // Three reports per minute: ties on the time are ordered by code.
        var reports = Enumerable.Range(0, 230).Select(i => NewReport(tag, Place.Quan1, ReportStatus.Routed, now.AddMinutes(-(i / 3)), ReportChannels.Web, Category.Business)).ToArray();
        await SeedAsync(reports);
        var desk = (await app.SignedInAsync(StaffRoles.CityTriage, "79")).Client;

        var seen = new List<string>();
        var url = $"/api/v1/staff/reports?q={tag}&limit=70";
        var pagesRead = 0;
        while (url is not null)
        {
            var response = await desk.GetAsync(url, Cancel);
            seen.AddRange((await response.ReadJsonAsync(HttpStatusCode.OK)).EnumerateArray().Select(r => r.Str("code")));
            url = response.Headers.TryGetValues("Link", out var links) ? NextLink().Match(links.Single()).Groups[1].Value : null;
            pagesRead++;
        }

        Assert.Equal(4, pagesRead);
        Assert.Equal(230, seen.Count);
        Assert.Equal(230, seen.Distinct().Count());
        var expected = reports.OrderByDescending(r => r.SubmittedAt).ThenByDescending(r => r.Code, StringComparer.Ordinal).Select(r => r.Code).ToList();
        Assert.Equal(expected, seen);

        // The page offers the same walk: 50 a page, a "next page" link carrying the cursor and the filter.
        var pages = await StaffPages.SignInAsync(app, (await app.CreateStaffAsync(StaffRoles.CityTriage, "79")).Email!);
        var pageCodes = new List<string>();
        string? next = $"/staff/reports?q={tag}";
        while (next is not null)
        {
            var html = await pages.Client.GetStringAsync(next, Cancel);
            pageCodes.AddRange(CardCode().Matches(html).Select(m => m.Groups[1].Value));
            next = NextPageLink().Match(html) is { Success: true } m ? WebUtility.HtmlDecode(m.Groups[1].Value) : null;
        }

        Assert.Equal(expected, pageCodes);
    }

    [Fact]
    public async Task Another_citys_staff_see_none_of_our_reports()
    {
        var tag = Tag();
        var now = app.Time.GetUtcNow();
        var ours = NewReport(tag, Place.Quan1, ReportStatus.Routed, now, ReportChannels.Web, Category.Business);
        var desk = NewReport(tag, Place.Desk, ReportStatus.NeedsTriage, now, ReportChannels.Web, null);
        var theirs = NewReport(tag, Place.HaNoi, ReportStatus.Routed, now, ReportChannels.Web, Category.Business);
        await SeedAsync(ours, desk, theirs);

        var hanoi = (await app.SignedInAsync(StaffRoles.CityTriage, "01")).Client;
        Assert.Equal([theirs.Code], await CodesAsync(hanoi, $"q={tag}"));
        var csv = await hanoi.GetStringAsync($"/api/v1/staff/reports/export?format=csv&q={tag}", Cancel);
        Assert.DoesNotContain(ours.Code, csv, StringComparison.Ordinal);
        Assert.DoesNotContain(desk.Code, csv, StringComparison.Ordinal);
        Assert.Contains(theirs.Code, csv, StringComparison.Ordinal);

        var officer = (await app.SignedInAsync(StaffRoles.UnitOfficer, "760")).Client;
        Assert.Equal([ours.Code], await CodesAsync(officer, $"q={tag}"));
        Assert.Equal(HttpStatusCode.BadRequest, (await officer.GetAsync($"/api/v1/staff/reports?q={tag}&unit=764", Cancel)).StatusCode);
    }

    [Fact]
    public async Task Bulk_route_does_the_allowed_reports_and_changes_nothing_in_the_refused_ones()
    {
        var tag = Tag();
        var now = app.Time.GetUtcNow();
        var atDesk = NewReport(tag, Place.Desk, ReportStatus.NeedsTriage, now, ReportChannels.Web, Category.Business);
        var resolved = NewReport(tag, Place.Quan1, ReportStatus.Resolved, now, ReportChannels.Web, Category.Business);
        var hanoi = NewReport(tag, Place.HaNoi, ReportStatus.NeedsTriage, now, ReportChannels.Web, Category.Business);
        await SeedAsync(atDesk, resolved, hanoi);
        var before = await StateAsync(resolved.Code, hanoi.Code);

        var pages = await StaffPages.SignInAsync(app, (await app.CreateStaffAsync(StaffRoles.CityTriage, "79")).Email!);
        var form = new FormUrlEncodedContent([
            new("action", "route"), new("unitCode", "764"),
            new("codes", atDesk.Code), new("codes", resolved.Code), new("codes", hanoi.Code),
            new("__RequestVerificationToken", TokenIn(await pages.Client.GetStringAsync($"/staff/reports?q={tag}", Cancel))),
        ]);
        var response = await pages.Client.PostAsync($"/staff/reports?handler=bulk&q={tag}", form, Cancel);
        var html = await response.Content.ReadAsStringAsync(Cancel);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Đã thực hiện 1 trên 3 phản ánh", html, StringComparison.Ordinal);
        Assert.Matches($"class=\"done\" data-code=\"{atDesk.Code}\"[^<]*<a[^>]*>[^<]*</a>: Đã chuyển đơn vị.", html);
        Assert.Matches($"class=\"refused\" data-code=\"{resolved.Code}\"[^<]*<a[^>]*>[^<]*</a>: Phản ánh ở trạng thái", html);
        Assert.Matches($"class=\"refused\" data-code=\"{hanoi.Code}\"[^<]*<a[^>]*>[^<]*</a>: Không có phản ánh này", html);
        var routed = (await StateAsync(atDesk.Code))[0];
        Assert.Equal("routed", routed[0]);
        Assert.Equal("764", routed[1]);
        Assert.Equal(before, await StateAsync(resolved.Code, hanoi.Code));

        // The API's bulk reject: an officer may reject, a call agent may not (each item says so; nothing changes).
        var officer = (await app.SignedInAsync(StaffRoles.UnitOfficer, "764")).Client;
        var results = await (await officer.PostAsJsonAsync("/api/v1/staff/reports/bulk",
            new { action = "reject", codes = new[] { atDesk.Code, resolved.Code }, reason = "invalid", note = "Không có vi phạm." }, Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal([true, false], results.EnumerateArray().Select(r => r.GetProperty("done").GetBoolean()));
        Assert.Equal("rejected", (await StateAsync(atDesk.Code))[0][0]);
        var agent = (await app.SignedInAsync(StaffRoles.CallAgent, "79")).Client;
        var refused = await (await agent.PostAsJsonAsync("/api/v1/staff/reports/bulk",
            new { action = "reject", codes = new[] { hanoi.Code }, reason = "invalid" }, Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.False(refused[0].GetProperty("done").GetBoolean());
        Assert.Equal(before, await StateAsync(resolved.Code, hanoi.Code));
        Assert.Equal(HttpStatusCode.BadRequest, (await officer.PostAsJsonAsync("/api/v1/staff/reports/bulk", new { action = "burn", codes = new[] { hanoi.Code } }, Cancel)).StatusCode);
    }

    [Fact]
    public async Task Exports_hold_the_filtered_list_with_vietnamese_headings()
    {
        var tag = Tag();
        var now = app.Time.GetUtcNow();
        var reports = new[]
        {
            NewReport(tag, Place.GoVap, ReportStatus.Routed, now, ReportChannels.Phone, Category.Business, address: "Đường Quang Trung, Gò Vấp"),
            NewReport(tag, Place.Quan1, ReportStatus.InProgress, now.AddHours(-1), ReportChannels.Web, Category.Business),
            NewReport(tag, Place.Quan1, ReportStatus.NeedsTriage, now.AddHours(-2), ReportChannels.Web, Category.Business),
        };
        await SeedAsync(reports);
        var pages = await StaffPages.SignInAsync(app, (await app.CreateStaffAsync(StaffRoles.CityTriage, "79")).Email!);

        var csv = await pages.Client.GetAsync($"/staff/reports?handler=export&format=csv&q={tag}&unit=760", Cancel);
        Assert.Equal("text/csv", csv.Content.Headers.ContentType?.MediaType);
        var lines = (await csv.Content.ReadAsStringAsync(Cancel)).TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("Mã phản ánh,Trạng thái,Lĩnh vực,Đơn vị xử lý,\"Phường, xã\",Kênh tiếp nhận", lines[0], StringComparison.Ordinal);
        Assert.Equal([reports[1].Code, reports[2].Code], lines[1..].Select(l => l.Split(',')[0]));
        Assert.Contains("Đang xử lý", lines[1], StringComparison.Ordinal);
        Assert.Contains("Quận 1", lines[1], StringComparison.Ordinal);

        var xlsx = await pages.Client.GetAsync($"/staff/reports?handler=export&format=xlsx&q={tag}", Cancel);
        await using var stream = new MemoryStream(await xlsx.Content.ReadAsByteArrayAsync(Cancel));
        using var document = SpreadsheetDocument.Open(stream, false);
        var rows = document.WorkbookPart!.WorksheetParts.Single().Worksheet.Descendants<Row>().ToList();
        Assert.Equal(4, rows.Count);
        var heading = rows[0].Elements<Cell>().Select(c => c.InnerText).ToList();
        Assert.Equal(["Mã phản ánh", "Trạng thái", "Lĩnh vực", "Đơn vị xử lý", "Phường, xã", "Kênh tiếp nhận"], heading[..6]);
        Assert.Equal(reports.Select(r => r.Code), rows[1..].Select(r => r.Elements<Cell>().First().InnerText));
        Assert.Contains("Đường Quang Trung, Gò Vấp", rows[1].Elements<Cell>().Select(c => c.InnerText));
        Assert.Contains("Điện thoại 1022", rows[1].Elements<Cell>().Select(c => c.InnerText));

        Assert.Equal(HttpStatusCode.BadRequest, (await pages.Client.GetAsync($"/staff/reports?handler=export&format=pdf&q={tag}", Cancel)).StatusCode);
    }

    [Fact]
    public async Task The_map_shows_every_located_report_of_the_filter_not_only_the_page_up_to_its_limit()
    {
        var tag = Tag();
        var now = app.Time.GetUtcNow();
        var located = Enumerable.Range(0, ReportInbox.MapLimit + 1).Select(i =>
        {
            var report = NewReport(tag, Place.GoVap, i % 2 == 0 ? ReportStatus.Routed : ReportStatus.InProgress, now.AddSeconds(-i), ReportChannels.Web, Category.Business);
            (report.Latitude, report.Longitude) = (10.83 + (i * 1e-5), 106.67);
            return report;
        }).ToList();
        var unlocated = NewReport(tag, Place.GoVap, ReportStatus.Routed, now.AddHours(-2), ReportChannels.Phone, Category.Business);
        var hanoi = NewReport(tag, Place.HaNoi, ReportStatus.Routed, now.AddHours(-3), ReportChannels.Web, Category.Business);
        (hanoi.Latitude, hanoi.Longitude) = (21.03, 105.85);
        await SeedAsync([.. located, unlocated, hanoi]);
        var desk = (await app.SignedInAsync(StaffRoles.CityTriage, "79")).Client;

        // Newest first, the limit's worth, and "more" says one was left out.
        var all = await (await desk.GetAsync($"/api/v1/staff/reports/map?q={tag}&limit=5", Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.True(all.GetProperty("more").GetBoolean());
        var points = all.GetProperty("points").EnumerateArray().ToList();
        Assert.Equal(ReportInbox.MapLimit, points.Count);
        Assert.Equal(located.Take(ReportInbox.MapLimit).Select(r => r.Code), points.Select(p => p.Str("code")));
        Assert.Equal(10.83, points[0].GetProperty("lat").GetDouble(), 6);

        // Narrowed by a filter: every in-progress one, and nothing more.
        var some = await (await desk.GetAsync($"/api/v1/staff/reports/map?q={tag}&status=in-progress", Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.False(some.GetProperty("more").GetBoolean());
        Assert.Equal(ReportInbox.MapLimit / 2, some.GetProperty("points").GetArrayLength());
        Assert.All(some.GetProperty("points").EnumerateArray(), p => Assert.Equal("in-progress", p.Str("status")));

        // Within the actor's units only, and a filter the list refuses is refused here too.
        var hanoiDesk = (await app.SignedInAsync(StaffRoles.CityTriage, "01")).Client;
        var theirs = await (await hanoiDesk.GetAsync($"/api/v1/staff/reports/map?q={tag}", Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal([hanoi.Code], theirs.GetProperty("points").EnumerateArray().Select(p => p.Str("code")));
        Assert.Equal(HttpStatusCode.BadRequest, (await desk.GetAsync("/api/v1/staff/reports/map?status=lost", Cancel)).StatusCode);

        // The page lists 5 and maps the filter's newest 2,000, saying so.
        var pages = await StaffPages.SignInAsync(app, (await app.CreateStaffAsync(StaffRoles.CityTriage, "79")).Email!);
        var html = await pages.Client.GetStringAsync($"/staff/reports?q={tag}&limit=5", Cancel);
        Assert.Equal(5, Regex.Count(html, "<li class=\"[^\"]*\" data-code=|<li data-code="));
        Assert.Contains("id=\"inbox-map-more\"", html, StringComparison.Ordinal);
        Assert.Contains(located[ReportInbox.MapLimit - 1].Code, html, StringComparison.Ordinal);
        Assert.DoesNotContain(located[ReportInbox.MapLimit].Code, html, StringComparison.Ordinal);
    }

    private enum Place
    {
        Quan1,
        GoVap,
        Desk,
        HaNoi,
    }

    private static string Tag() => "x" + new string([.. Guid.NewGuid().ToString("N").Where(char.IsLetter).Take(9)]).PadRight(9, 'q');

    private Report NewReport(string tag, Place place, ReportStatus status, DateTimeOffset submitted, string channel, string? category,
        DateTimeOffset? due = null, string? description = null, string? address = null)
    {
        var (path, unit, ward) = place switch
        {
            Place.Quan1 => ("/79/760/", "760", "26734"),
            Place.GoVap => ("/79/764/", "764", "26872"),
            Place.HaNoi => ("/01/002/", "002", "00037"),
            _ => ("/79/", (string?)null, (string?)null),
        };
        return new Report
        {
            Id = Guid.NewGuid(),
            Code = Report.NewCode(),
            Description = description ?? $"Quán cà phê vẫn cho khách ngồi tại chỗ {tag}",
            Address = address,
            Channel = channel,
            Status = status,
            CategoryCode = category,
            SubmittedAt = submitted,
            UnitCode = unit,
            UnitPath = path,
            WardCode = ward,
            RoutedAt = unit is null ? null : submitted,
            DueAt = unit is null ? null : due ?? app.Time.GetUtcNow().AddDays(2),
            TriageReason = unit is null ? TriageReasons.OutsideEveryCity() : null,
            PublicResult = status == ReportStatus.Resolved ? "Đã kiểm tra và nhắc nhở chủ quán." : null,
        };
    }

    private async Task SeedAsync(params Report[] reports)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CitizenDb>();
        db.Reports.AddRange(reports);
        await db.SaveChangesAsync(Cancel);
    }

    private static async Task<List<string>> CodesAsync(HttpClient client, string query) =>
        [.. (await (await client.GetAsync($"/api/v1/staff/reports?{query}", Cancel)).ReadJsonAsync(HttpStatusCode.OK)).EnumerateArray().Select(r => r.Str("code"))];

    /// <summary>Status, unit, version, events and audit entries of each report: what a refused change must leave alone.</summary>
    private async Task<List<object?[]>> StateAsync(params string[] codes)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CitizenDb>();
        var states = new List<object?[]>();
        foreach (var code in codes)
        {
            var report = await db.Reports.AsNoTracking().Include(r => r.Events).SingleAsync(r => r.Code == code, Cancel);
            var audit = await db.AuditEntries.CountAsync(a => a.EntityType == "report" && a.EntityId == code, Cancel);
            states.Add([ReportViews.StatusCode(report.Status), report.UnitCode, report.Version, report.Events.Count, audit]);
        }

        return states;
    }

    private static string TokenIn(string html) =>
        WebUtility.HtmlDecode(Regex.Match(html, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value);

    [GeneratedRegex("<([^>]+)>; rel=\"next\"")]
    private static partial Regex NextLink();

    [GeneratedRegex("<li(?: class=\"[^\"]*\")? data-code=\"([A-Z0-9]+)\"")]
    private static partial Regex CardCode();

    [GeneratedRegex("<a href=\"([^\"]+)\" id=\"next-page\"")]
    private static partial Regex NextPageLink();
}
