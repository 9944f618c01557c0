using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using CitizenSensor.Data;
using CitizenSensor.Features.Reports;
using CitizenSensor.Features.Staff;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CitizenSensor.Tests.Features.Reports;

/// <summary>The app for the matrix, with one signed-in session per role for each door, made once.</summary>
public sealed class ReportMatrixApp : CitizenApp
{
    private readonly ConcurrentDictionary<string, Lazy<Task<StaffPages>>> _pages = new();
    private readonly ConcurrentDictionary<string, Lazy<Task<HttpClient>>> _api = new();
    private readonly ConcurrentDictionary<string, Lazy<Task<StaffUser>>> _users = new();

    /// <summary>Each role's unit: the city for the desks, Quận 1 for the unit's officers.</summary>
    public static string? UnitOf(string role) => role switch
    {
        StaffRoles.Admin => null,
        StaffRoles.UnitOfficer or StaffRoles.HealthOfficer => "760",
        _ => "79",
    };

    public Task<StaffPages> PagesAsync(string? role) => role is null
        ? Task.FromResult(StaffPages.Anonymous(this))
        : _pages.GetOrAdd(role, r => new(async () => await StaffPages.SignInAsync(this, (await UserAsync(r)).Email!))).Value;

    public Task<HttpClient> ApiAsync(string? role) => role is null
        ? Task.FromResult(CreateClient())
        : _api.GetOrAdd(role, r => new(async () => await ClientWithTokenAsync((await UserAsync(r)).Email!))).Value;

    private Task<StaffUser> UserAsync(string role) => _users.GetOrAdd(role, r => new(() => CreateStaffAsync(r, UnitOf(r)))).Value;
}

/// <summary>
/// One set of rules behind every door: every report action, at the staff API and at the staff page, for each of the
/// six roles and anonymous, on a report in the caller's units and on one in another city. What is allowed is done;
/// everything else changes nothing (status, version, notes, audit) and answers 403 for a role without the right,
/// 404 outside the caller's units, and 401 (API) or the sign-in page (pages) for anonymous.
/// </summary>
public sealed class ReportActionMatrixTests(ReportMatrixApp app) : IClassFixture<ReportMatrixApp>
{
    private static readonly string?[] Roles = [.. StaffRoles.All, null];

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public static TheoryData<string, string, string, bool> Cases()
    {
        var data = new TheoryData<string, string, string, bool>();
        foreach (var door in new[] { "api", "page" })
        {
            foreach (var action in ReportActions.All)
            {
                foreach (var role in Roles)
                {
                    data.Add(door, action, role ?? "anonymous", true);
                    data.Add(door, action, role ?? "anonymous", false);
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Each_role_may_do_what_its_role_allows_in_its_own_units_and_nothing_else(string door, string action, string roleName, bool ownUnit)
    {
        var role = roleName == "anonymous" ? null : roleName;
        var city = ownUnit ? HoChiMinhCity : HaNoi;
        var report = await ArrangeAsync(action, city);
        var before = await StateAsync(report.Code);

        var status = door == "api" ? await ViaApiAsync(role, action, report) : await ViaPageAsync(role, action, report);

        var actor = role is null ? StaffActor.Anonymous : new StaffActor("x", "x", new HashSet<string> { role }, null);
        var allowed = ReportActions.Permits(actor, action);
        var visible = role == StaffRoles.Admin || ownUnit;
        var after = await StateAsync(report.Code);
        if (allowed && visible)
        {
            Assert.Equal(door == "api" ? HttpStatusCode.OK : HttpStatusCode.Redirect, status);
            Assert.Equal(before.Version + 1, after.Version);
            Assert.Equal(before.Audit + 1, after.Audit);
            return;
        }

        var expected = (role, allowed, door) switch
        {
            (null, _, "api") => HttpStatusCode.Unauthorized,
            (null, _, _) => HttpStatusCode.Redirect, // to the sign-in page
            (_, false, _) => HttpStatusCode.Forbidden,
            _ => HttpStatusCode.NotFound,
        };
        Assert.Equal(expected, status);
        Assert.Equal(before, after);
    }

    [Theory]
    [InlineData("Reject", "reason", "invalid", "note", "<b>Không</b> có vi phạm")]
    [InlineData("Note", "text", "ghi chú", "text", "<script>alert(1)</script> đã gọi")]
    [InlineData("Resolve", "result", "Đã kiểm tra, lập biên bản.", "fine", "-5")]
    public async Task A_refused_change_at_the_page_saves_nothing_even_when_the_page_is_drawn_again(string handler, string field, string value, string badField, string bad)
    {
        var report = await ArrangeAsync(ReportActions.Accept, HoChiMinhCity);
        var before = await StateAsync(report.Code);
        var pages = await app.PagesAsync(StaffRoles.UnitOfficer);

        var response = await pages.PostAsync($"/staff/reports/{report.Code}", handler, new Dictionary<string, string?> { ["version"] = "0", [field] = value, [badField] = bad });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("id=\"action-error\"", await response.Content.ReadAsStringAsync(Cancel), StringComparison.Ordinal);
        Assert.Equal(before, await StateAsync(report.Code));
        Assert.Equal(HttpStatusCode.OK, (await pages.Client.GetAsync($"/staff/reports/{report.Code}", Cancel)).StatusCode);
        Assert.Equal(before, await StateAsync(report.Code));
    }

    [Fact]
    public async Task A_dispatcher_routes_a_report_by_typing_a_unit_without_diacritics_and_chooses_when_several_match()
    {
        var pages = await app.PagesAsync(StaffRoles.CityTriage);
        var report = await ArrangeAsync(ReportActions.Route, HoChiMinhCity);

        var several = await pages.PostAsync($"/staff/reports/{report.Code}", "Route", new Dictionary<string, string?> { ["version"] = "0", ["unit"] = "phuong 1" });
        var choices = await several.Content.ReadAsStringAsync(Cancel);
        Assert.Equal(HttpStatusCode.OK, several.StatusCode);
        Assert.Contains("id=\"route-choices\"", choices, StringComparison.Ordinal);
        Assert.Equal("needs-triage", (await StateAsync(report.Code)).Status);

        var routed = await pages.PostAsync($"/staff/reports/{report.Code}", "Route", new Dictionary<string, string?> { ["version"] = "0", ["unit"] = "go vap" });
        Assert.Equal(HttpStatusCode.Redirect, routed.StatusCode);
        Assert.Contains("done=route", routed.Headers.Location?.OriginalString, StringComparison.Ordinal);
        var after = await StateAsync(report.Code);
        Assert.Equal(("routed", "764"), (after.Status, after.Unit));
        var page = await pages.Client.GetStringAsync(routed.Headers.Location, Cancel);
        Assert.Contains("Quận Gò Vấp", page, StringComparison.Ordinal);
        Assert.Contains("id=\"action-done\"", page, StringComparison.Ordinal);

        var nowhere = await pages.PostAsync($"/staff/reports/{report.Code}", "Route", new Dictionary<string, string?> { ["version"] = "1", ["unit"] = "hoan kiem" });
        Assert.Equal(HttpStatusCode.BadRequest, nowhere.StatusCode); // Hà Nội is not the HCMC desk's
    }

    private sealed record City(string Path, string Unit, string Ward);

    private static readonly City HoChiMinhCity = new("/79/", "760", "26740");
    private static readonly City HaNoi = new("/01/", "002", "00037");

    private sealed record Arranged(string Code, string? Original, City City);

    private sealed record State(string Status, int Version, int Notes, int Events, int Audit, string? Unit);

    /// <summary>A report in the state the action needs (and an original to merge into), written straight to the database.</summary>
    private async Task<Arranged> ArrangeAsync(string action, City city)
    {
        var status = action switch
        {
            ReportActions.Route or ReportActions.Close => ReportStatus.NeedsTriage,
            ReportActions.Reopen => ReportStatus.Resolved,
            _ => ReportStatus.Routed,
        };
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CitizenDb>();
        var report = NewReport(status, city);
        var original = action == ReportActions.Merge ? NewReport(ReportStatus.Routed, city) : null;
        db.Reports.Add(report);
        if (original is not null)
        {
            db.Reports.Add(original);
        }

        await db.SaveChangesAsync(Cancel);
        return new Arranged(report.Code, original?.Code, city);
    }

    private Report NewReport(ReportStatus status, City city)
    {
        var now = app.Time.GetUtcNow();
        var routed = status is not ReportStatus.NeedsTriage;
        return new Report
        {
            Id = Guid.NewGuid(),
            Code = Report.NewCode(),
            Description = "Quán karaoke trong hẻm mở cửa tới khuya, rất ồn, không quét mã QR",
            Channel = ReportChannels.Web,
            Status = status,
            CategoryCode = Category.Business,
            Confidence = 0.9,
            SubmittedAt = now,
            UnitCode = routed ? city.Unit : null,
            UnitPath = routed ? $"{city.Path}{city.Unit}/" : city.Path,
            RoutedAt = routed ? now : null,
            DueAt = routed ? now.AddHours(1) : null,
            TriageReason = routed ? null : TriageReasons.OutsideEveryCity(),
            PublicResult = status == ReportStatus.Resolved ? "Đã kiểm tra và nhắc nhở chủ quán." : null,
            ResolvedAt = status == ReportStatus.Resolved ? now : null,
        };
    }

    private async Task<State> StateAsync(string code)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CitizenDb>();
        var report = await db.Reports.AsNoTracking().Include(r => r.Notes).Include(r => r.Events).SingleAsync(r => r.Code == code, Cancel);
        var audit = await db.AuditEntries.CountAsync(a => a.EntityType == "report" && a.EntityId == code, Cancel);
        return new State(ReportViews.StatusCode(report.Status), report.Version, report.Notes.Count, report.Events.Count, audit, report.UnitCode);
    }

    /// <summary>What each action sends: valid for the arranged report, so that only the role and the scope decide.</summary>
    private static Dictionary<string, string?> Fields(string action, Arranged report) => action switch
    {
        ReportActions.Accept => new() { ["version"] = "0" },
        ReportActions.AssignWard => new() { ["version"] = "0", ["wardCode"] = report.City.Ward },
        ReportActions.AddNote => new() { ["text"] = "Đã gọi điện cho người phản ánh." },
        ReportActions.Resolve => new() { ["version"] = "0", ["result"] = "Đã kiểm tra, lập biên bản xử phạt.", ["fine"] = "5000000" },
        ReportActions.Reject => new() { ["version"] = "0", ["reason"] = "invalid", ["note"] = "Không có vi phạm." },
        ReportActions.Merge => new() { ["version"] = "0", ["original"] = report.Original },
        ReportActions.Route => new() { ["version"] = "0", ["unit"] = report.City.Unit },
        ReportActions.SetCategory => new() { ["version"] = "0", ["category"] = Category.PublicOrder },
        ReportActions.Close => new() { ["version"] = "0", ["result"] = "Đã giải đáp qua điện thoại cho người dân." },
        ReportActions.Reopen => new() { ["version"] = "0", ["reason"] = "Người dân báo quán vẫn mở cửa." },
        _ => throw new ArgumentOutOfRangeException(nameof(action)),
    };

    private async Task<HttpStatusCode> ViaPageAsync(string? role, string action, Arranged report)
    {
        var pages = await app.PagesAsync(role);
        var handler = action switch
        {
            ReportActions.AssignWard => "Ward",
            ReportActions.AddNote => "Note",
            ReportActions.SetCategory => "Category",
            _ => char.ToUpperInvariant(action[0]) + action[1..],
        };
        var response = await pages.PostAsync($"/staff/reports/{report.Code}", handler, Fields(action, report));
        if (role is null)
        {
            Assert.Contains("/staff/login", response.Headers.Location?.OriginalString, StringComparison.Ordinal);
        }

        return response.StatusCode;
    }

    private async Task<HttpStatusCode> ViaApiAsync(string? role, string action, Arranged report)
    {
        var client = await app.ApiAsync(role);
        var fields = Fields(action, report);
        var (path, body) = action switch
        {
            ReportActions.Accept => ("accept", (object)new { version = 0 }),
            ReportActions.AssignWard => ("ward", new { wardCode = fields["wardCode"], version = 0 }),
            ReportActions.AddNote => ("notes", new { text = fields["text"] }),
            ReportActions.Resolve => ("resolve", new { result = fields["result"], fineVnd = 5_000_000, version = 0 }),
            ReportActions.Reject => ("reject", new { reason = "invalid", note = fields["note"], version = 0 }),
            ReportActions.Merge => ("merge", new { duplicateOf = report.Original, version = 0 }),
            ReportActions.Route => ("route", new { unitCode = fields["unit"], version = 0 }),
            ReportActions.SetCategory => ("category", new { category = fields["category"], version = 0 }),
            ReportActions.Close => ("close", new { result = fields["result"], version = 0 }),
            ReportActions.Reopen => ("reopen", new { reason = fields["reason"], version = 0 }),
            _ => throw new ArgumentOutOfRangeException(nameof(action)),
        };
        var response = await client.PostAsJsonAsync($"/api/v1/staff/reports/{report.Code}/{path}", body, Cancel);
        return response.StatusCode;
    }
}
