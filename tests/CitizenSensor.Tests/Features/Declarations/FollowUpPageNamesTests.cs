using System.Net;
using System.Text.RegularExpressions;
using CitizenSensor.Features.Staff;
using CitizenSensor.Tests.Features.Venues;

namespace CitizenSensor.Tests.Features.Declarations;

/// <summary>The follow-up pages name the ward ("Phường Phúc Xá"), not its code ("00001").</summary>
public sealed class FollowUpPageNamesTests(CitizenApp app) : IClassFixture<CitizenApp>
{
    private const string WardName = "Phường Phúc Xá";

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_task_list_and_the_task_page_show_the_wards_name()
    {
        var (api, officer) = await app.SignedInAsync(StaffRoles.HealthOfficer, DeclarationClient.Ward);
        await app.CreateClient().DeclaredAsync(DeclarationClient.Valid(VenueClient.NewPhone(), symptoms: ["cough", "fever"]));
        var tasks = await (await api.GetAsync("/api/v1/followups", Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        var id = tasks.EnumerateArray().Max(t => t.GetProperty("id").GetInt64());
        var pages = await StaffPages.SignInAsync(app, officer.Email!);

        var list = WebUtility.HtmlDecode(await pages.Client.GetStringAsync("/staff/followups", Cancel));
        var row = Regex.Match(list, $"<tr data-id=\"{id}\"[^>]*>(.*?)</tr>", RegexOptions.Singleline);
        Assert.True(row.Success, "The new task is listed.");
        Assert.Contains($"<td>{WardName}</td>", row.Groups[1].Value, StringComparison.Ordinal);
        Assert.DoesNotContain($"<td>{DeclarationClient.Ward}</td>", row.Groups[1].Value, StringComparison.Ordinal);

        var opened = await pages.PostAsync($"/staff/followups/{id}", "Open", new Dictionary<string, string?> { ["reason"] = "Gọi điện hỏi thăm sức khỏe" });
        Assert.Equal(HttpStatusCode.OK, opened.StatusCode);
        var page = WebUtility.HtmlDecode(await opened.Content.ReadAsStringAsync(Cancel));
        Assert.Matches($"· {WardName}</p>", page);
        Assert.DoesNotContain($"· {DeclarationClient.Ward}</p>", page, StringComparison.Ordinal);
    }
}
