using System.Net;
using System.Net.Http.Json;
using CitizenSensor.Data;
using CitizenSensor.Features.Channels.Open311;
using CitizenSensor.Features.Channels.Phone;
using CitizenSensor.Features.Declarations;
using CitizenSensor.Features.Reports;
using CitizenSensor.Features.Staff;
using CitizenSensor.Features.Venues;
using CitizenSensor.Features.Venues.Compliance;
using CitizenSensor.Tests.Features.Reports;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CitizenSensor.Tests.Features;

/// <summary>
/// One set of rules behind every door, for the staff writes besides reports: categories, Open311 keys, declaration
/// partners, calls, follow-ups, the business registry, venues, staff accounts, unit contacts and the questionnaire,
/// at the API and at the page, for each of the six roles and anonymous, on things in the caller's units and in
/// another city. What is allowed is done with one audit entry; everything else changes nothing (the thing, the audit
/// trail) and answers 403 for a role without the right, 404 (or, for a report named in a call or a ward named in a
/// registry import, 400 "not in your units") outside the caller's units, and 401 (API) or the sign-in page (pages)
/// for anonymous.
/// </summary>
public sealed class StaffWriteMatrixTests(ReportMatrixApp app) : IClassFixture<ReportMatrixApp>
{
    private static readonly string?[] Roles = [.. StaffRoles.All, null];

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static readonly (string Write, string[] Doors, bool Scoped)[] Writes =
    [
        ("category", ["api", "page"], false),
        ("open311-key", ["api", "page"], false),
        ("declaration-partner", ["api"], false),
        ("call", ["api", "page"], true),
        ("follow-up", ["api", "page"], true),
        ("business-remind", ["api"], true),
        ("business-suspend", ["api"], true),
        ("business-import", ["api"], true),
        ("venue-edit", ["api"], true),
        ("venue-close", ["api"], true),
        ("venue-reopen", ["api"], true),
        ("staff-user", ["api"], false),
        ("unit-contact", ["api"], true),
        ("questionnaire", ["api", "page"], false),
    ];

    public static TheoryData<string, string, string, bool> Cases()
    {
        var data = new TheoryData<string, string, string, bool>();
        foreach (var (write, doors, scoped) in Writes)
        {
            foreach (var door in doors)
            {
                foreach (var role in Roles)
                {
                    data.Add(write, door, role ?? "anonymous", true);
                    if (scoped)
                    {
                        data.Add(write, door, role ?? "anonymous", false);
                    }
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Each_role_may_make_the_changes_its_role_allows_in_its_own_units_and_no_others(string write, string door, string roleName, bool ownUnit)
    {
        var role = roleName == "anonymous" ? null : roleName;
        var target = await ArrangeAsync(write, ownUnit ? "/79/760/26740/" : "/01/002/00037/");
        _ = door == "api" ? await app.ApiAsync(role) : (object)await app.PagesAsync(role); // signing in is audited: before the count
        var before = await StateAsync(write, target);

        var status = door == "api" ? await ViaApiAsync(role, write, target) : await ViaPageAsync(role, write, target);

        var actor = role is null ? StaffActor.Anonymous : new StaffActor("x", "x", new HashSet<string> { role }, null);
        var allowed = write switch
        {
            "category" => CategoryAdmin.MayManage(actor),
            "open311-key" => Open311Keys.MayManage(actor),
            "declaration-partner" => QuestionnaireAdmin.MayManage(actor),
            "call" => CallDesk.MayUse(actor),
            "business-remind" or "business-suspend" or "business-import" => BusinessRegistry.MayManage(actor),
            "venue-edit" or "venue-close" or "venue-reopen" => VenueDesk.MayManage(actor),
            "staff-user" => StaffAccounts.MayCreate(actor),
            "unit-contact" => UnitContacts.MayEdit(actor),
            "questionnaire" => QuestionnaireAdmin.MayManage(actor),
            _ => FollowUpDesk.MayWork(actor),
        };
        var visible = role == StaffRoles.Admin || ownUnit;
        var after = await StateAsync(write, target);
        if (allowed && visible)
        {
            Assert.True(status is HttpStatusCode.OK or HttpStatusCode.Created or HttpStatusCode.Redirect, $"answered {status}");
            Assert.NotEqual(before.Thing, after.Thing);
            Assert.Equal(before.Audit + 1, after.Audit);
            return;
        }

        var expected = (role, allowed, door, write) switch
        {
            (null, _, "api", _) => HttpStatusCode.Unauthorized,
            (null, _, _, _) => HttpStatusCode.Redirect, // to the sign-in page
            (_, false, _, _) => HttpStatusCode.Forbidden,
            (_, _, _, "call") => HttpStatusCode.BadRequest, // the report it names is not in the agent's units
            (_, _, _, "business-import") => HttpStatusCode.BadRequest, // the ward its row names is not in the officer's units
            _ => HttpStatusCode.NotFound,
        };
        Assert.Equal(expected, status);
        Assert.Equal(before, after);
    }

    private sealed record Target(string Key, string UnitPath);

    private sealed record State(string Thing, int Audit);

    /// <summary>What the write works on, in the unit given: a report for a call to name, a follow-up task.</summary>
    private async Task<Target> ArrangeAsync(string write, string unitPath)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CitizenDb>();
        var parts = unitPath.Trim('/').Split('/');
        var now = app.Time.GetUtcNow();
        switch (write)
        {
            case "call":
                var report = new Report
                {
                    Id = Guid.NewGuid(),
                    Code = Report.NewCode(),
                    Description = "Quán karaoke mở tới khuya, không quét mã QR",
                    Channel = ReportChannels.Phone,
                    Status = ReportStatus.Routed,
                    CategoryCode = Category.Business,
                    Confidence = 0.9,
                    SubmittedAt = now,
                    UnitCode = parts[1],
                    UnitPath = $"/{parts[0]}/{parts[1]}/",
                    RoutedAt = now,
                    DueAt = now.AddHours(1),
                };
                db.Reports.Add(report);
                await db.SaveChangesAsync(Cancel);
                return new Target(report.Code, unitPath);
            case "follow-up":
                var task = new FollowUpTask
                {
                    PersonHash = Guid.NewGuid().ToByteArray(),
                    DeclarationId = 0,
                    WardCode = parts[2],
                    DistrictCode = parts[1],
                    UnitPath = unitPath,
                    Symptoms = Symptoms.Cough,
                    CreatedAt = now,
                    DueAt = now.AddHours(24),
                };
                db.Add(task);
                await db.SaveChangesAsync(Cancel);
                return new Target(task.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), unitPath);
            case "business-remind" or "business-suspend":
                var business = new Business
                {
                    Name = "Karaoke matrix",
                    Address = "1 Đồng Khởi",
                    WardCode = parts[2],
                    DistrictCode = parts[1],
                    UnitPath = unitPath,
                    Kind = "other",
                    SearchName = "karaoke matrix",
                    ImportedAt = now,
                    Reminders = write == "business-suspend" ? 4 : 0,
                    SuspensionProposedAt = write == "business-suspend" ? now : null,
                };
                db.Add(business);
                await db.SaveChangesAsync(Cancel);
                return new Target(business.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), unitPath);
            case "venue-edit" or "venue-close" or "venue-reopen":
                var venue = new Venue
                {
                    Code = Venue.NewCode(),
                    Name = "Quán cà phê Sông Hàn",
                    Kind = "restaurant",
                    Address = "5 Lê Lợi",
                    WardCode = parts[2],
                    DistrictCode = parts[1],
                    UnitPath = unitPath,
                    ManageKeyHash = Venue.HashKey("key"),
                    CreatedBy = "owner",
                    CreatedAt = now,
                    ClosedAt = write == "venue-reopen" ? now : null,
                };
                venue.SealOwner(scope.ServiceProvider.GetRequiredService<PersonalData>(), "Trần Thị Bình", "0909123456");
                db.Venues.Add(venue);
                await db.SaveChangesAsync(Cancel);
                return new Target(venue.Code, unitPath);
            default:
                return new Target(Guid.NewGuid().ToString("N")[..8], unitPath);
        }
    }

    /// <summary>The thing the write changes, and the count of audit entries that record changes (reading is audited too, and is not a change).</summary>
    private async Task<State> StateAsync(string write, Target target)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CitizenDb>();
        var thing = write switch
        {
            "category" => (await db.Categories.AsNoTracking().SingleAsync(c => c.Code == Category.Other, Cancel)).NameVi,
            "open311-key" => (await db.Open311Clients.CountAsync(c => c.Name.Contains(target.Key), Cancel)).ToString(System.Globalization.CultureInfo.InvariantCulture),
            "declaration-partner" => (await db.Set<DeclarationPartner>().CountAsync(p => p.Source == "p-" + target.Key, Cancel)).ToString(System.Globalization.CultureInfo.InvariantCulture),
            "call" => (await db.Set<PhoneCall>().IgnoreQueryFilters().CountAsync(c => c.Note == target.Key, Cancel)).ToString(System.Globalization.CultureInfo.InvariantCulture),
            "business-import" => (await db.Set<Business>().IgnoreQueryFilters().CountAsync(b => b.Name == "Cơ sở " + target.Key, Cancel)).ToString(System.Globalization.CultureInfo.InvariantCulture),
            "business-remind" or "business-suspend" => (await db.Set<Business>().IgnoreQueryFilters().SingleAsync(b => b.Id == long.Parse(target.Key, System.Globalization.CultureInfo.InvariantCulture), Cancel)) is var b
                ? $"{b.Reminders} {b.SuspendedAt}" : "",
            "venue-edit" or "venue-close" or "venue-reopen" => await db.Venues.IgnoreQueryFilters().Where(v => v.Code == target.Key)
                .Select(v => $"{v.Name} v{v.Version} closed {v.ClosedAt}").SingleAsync(Cancel),
            "staff-user" => (await db.Users.IgnoreQueryFilters().CountAsync(u => u.Email == $"m-{target.Key}@test.citizensensor.vn", Cancel)).ToString(System.Globalization.CultureInfo.InvariantCulture),
            "unit-contact" => (await db.Units.IgnoreQueryFilters().SingleAsync(u => u.Code == UnitCode(target), Cancel)).ContactEmail ?? "",
            "questionnaire" => (await db.Set<QuestionnaireVersion>().MaxAsync(q => (int?)q.Version, Cancel))?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "",
            _ => (await db.Set<FollowUpTask>().IgnoreQueryFilters().SingleAsync(t => t.Id == long.Parse(target.Key, System.Globalization.CultureInfo.InvariantCulture), Cancel)).Revision
                .ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        var audit = await db.AuditEntries.CountAsync(a => !a.Action.StartsWith("view-") && a.Action != "lookup", Cancel);
        return new State(thing, audit);
    }

    private async Task<HttpStatusCode> ViaApiAsync(string? role, string write, Target target)
    {
        var client = await app.ApiAsync(role);
        var response = write switch
        {
            "category" => await client.PutAsJsonAsync($"/api/v1/staff/categories/{Category.Other}", new { nameVi = "Khác " + target.Key }, Cancel),
            "open311-key" => await client.PostAsJsonAsync("/api/v1/open311/keys", new { name = "Ứng dụng " + target.Key }, Cancel),
            "declaration-partner" => await client.PostAsJsonAsync("/api/v1/declaration-partners", new { name = "Đối tác " + target.Key, source = "p-" + target.Key }, Cancel),
            "staff-user" => await client.PostAsJsonAsync("/api/v1/staff/users", new { email = $"m-{target.Key}@test.citizensensor.vn", displayName = "Cán bộ " + target.Key, password = CitizenApp.Password, role = StaffRoles.Viewer, unitCode = "79" }, Cancel),
            "unit-contact" => await client.PutAsJsonAsync($"/api/v1/staff/units/{UnitCode(target)}/contact", new { contactEmail = $"tiepnhan-{target.Key}@example.org", contactPhone = "028 3829 1234" }, Cancel),
            "questionnaire" => await client.PutAsJsonAsync("/api/v1/questionnaire", new { title = new { vi = "Tờ khai " + target.Key, en = "Declaration " + target.Key }, questions = (await CurrentQuestionnaireAsync()).GetProperty("questions") }, Cancel),
            "call" => await client.PostAsJsonAsync("/api/v1/calls", new { direction = "inbound", callerPhone = "0909123456", outcome = "answered-directly", reportCode = target.Key, note = target.Key }, Cancel),
            "business-remind" => await client.PostAsJsonAsync($"/api/v1/staff/businesses/{target.Key}/reminders", new { method = "visit" }, Cancel),
            "business-suspend" => await client.PostAsync($"/api/v1/staff/businesses/{target.Key}/suspend", null, Cancel),
            "business-import" => await client.PostAsync("/api/v1/staff/businesses/import", new StringContent(
                $"name,address,ward,kind,phone\nCơ sở {target.Key},1 Đồng Khởi,{target.UnitPath.Trim('/').Split('/')[2]},other,\n", System.Text.Encoding.UTF8, "text/csv"), Cancel),
            "venue-edit" => await client.PatchAsJsonAsync($"/api/v1/staff/venues/{target.Key}", new { name = "Quán " + target.Key }, Cancel),
            "venue-close" => await client.PostAsync($"/api/v1/staff/venues/{target.Key}/close", null, Cancel),
            "venue-reopen" => await client.PostAsync($"/api/v1/staff/venues/{target.Key}/reopen", null, Cancel),
            _ => await client.PostAsJsonAsync($"/api/v1/followups/{target.Key}/outcome", new { outcome = "not-reached" }, Cancel),
        };
        return response.StatusCode;
    }

    private async Task<HttpStatusCode> ViaPageAsync(string? role, string write, Target target)
    {
        var pages = await app.PagesAsync(role);
        var response = write switch
        {
            "category" => await pages.PostAsync("/staff/categories", "Save", new Dictionary<string, string?>
            {
                ["code"] = Category.Other,
                ["nameVi"] = "Khác " + target.Key,
                ["nameEn"] = "Other",
                ["forward"] = "5",
                ["resolve"] = "60",
                ["sortOrder"] = "100",
                ["active"] = "true",
            }),
            "open311-key" => await pages.PostAsync("/staff/open311", "Issue", new Dictionary<string, string?> { ["name"] = "Ứng dụng " + target.Key }),
            "questionnaire" => await pages.PostAsync("/staff/questionnaire", "", await QuestionnaireFormAsync(target.Key)),
            "call" => await pages.PostAsync("/staff/calls", "Call", new Dictionary<string, string?>
            {
                ["direction"] = "inbound",
                ["callerPhone"] = "0909123456",
                ["outcome"] = "answered-directly",
                ["reportCode"] = target.Key,
                ["note"] = target.Key,
            }),
            _ => await pages.PostAsync($"/staff/followups/{target.Key}", "Outcome", new Dictionary<string, string?> { ["outcome"] = "not-reached", ["reason"] = "gọi hỏi thăm" }),
        };
        return response.StatusCode;
    }

    /// <summary>The unit a write on units works on: the last code of the target's path.</summary>
    private static string UnitCode(Target target) => target.UnitPath.Trim('/').Split('/')[^1];

    private async Task<System.Text.Json.JsonElement> CurrentQuestionnaireAsync() =>
        await (await app.CreateClient().GetAsync("/api/v1/questionnaire", Cancel)).ReadJsonAsync(HttpStatusCode.OK);

    /// <summary>The questionnaire page's form as drawn for the current version, with a new title.</summary>
    private async Task<Dictionary<string, string?>> QuestionnaireFormAsync(string key)
    {
        var form = new Dictionary<string, string?> { ["title.vi"] = "Tờ khai " + key, ["title.en"] = "Declaration " + key };
        foreach (var (question, i) in (await CurrentQuestionnaireAsync()).GetProperty("questions").EnumerateArray().Select((q, i) => (q, i)))
        {
            form[$"q{i}.vi"] = question.GetProperty("text").Str("vi");
            form[$"q{i}.en"] = question.GetProperty("text").Str("en");
            form[$"q{i}.required"] = question.GetProperty("required").GetBoolean() ? "true" : null;
        }

        return form;
    }
}
