using System.Net;
using CitizenSensor.Features.Jurisdictions;
using CitizenSensor.Features.Staff;
using CitizenSensor.Tests.Features.Reports;

namespace CitizenSensor.Tests.Features.Jurisdictions;

/// <summary>
/// The address corpora through <c>GET /api/v1/units/match</c>, each address on its day: addresses-2021.tsv (over 300
/// addresses of the 2021 units as people write them, with and without diacritics, abbreviations, house numbers, alleys,
/// streets named like units elsewhere, and addresses that fit several units or none) and addresses-2025.tsv (over 300
/// of today's communes in both cities, and addresses still written in the 2021 units, whole and split): at least 99 % of
/// the routes are right, and the share routed is printed. Then street words and ambiguity as a resident meets them.
/// </summary>
public sealed class AddressCorpusTests(CitizenApp app) : IClassFixture<CitizenApp>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("addresses-2021.tsv")]
    [InlineData("addresses-2025.tsv")]
    public async Task At_least_99_percent_of_the_corpus_routes_are_right(string file)
    {
        var corpus = AddressCorpus.Load(Path.Combine(AppContext.BaseDirectory, "Features", "Jurisdictions", file));
        Assert.True(corpus.Count >= 300, $"the corpus holds {corpus.Count} addresses");
        var client = app.CreateClient();
        var outcomes = new List<AddressOutcome>();
        foreach (var address in corpus)
        {
            var at = address.Day is { } day ? $"at={day:yyyy-MM-dd}&" : "";
            using var response = await client.GetAsync($"/api/v1/units/match?{at}address=" + Uri.EscapeDataString(address.Address), Cancel);
            var body = await response.ReadJsonAsync(response.StatusCode == HttpStatusCode.OK ? HttpStatusCode.OK : HttpStatusCode.NotFound);
            outcomes.Add(response.StatusCode == HttpStatusCode.OK
                ? new AddressOutcome(address, body.GetProperty("unit").Str("code"), body.Within())
                : new AddressOutcome(address, null, null));
        }

        foreach (var line in AddressCorpus.Summary(outcomes))
        {
            TestContext.Current.SendDiagnosticMessage(line);
        }

        var wrong = outcomes.Where(o => o.Routed && !o.Correct).Select(o => $"{o.Case.Address} → {o.District}/{o.Ward}").ToList();
        Assert.True(AddressCorpus.Precision(outcomes) >= 0.99, "wrong routes:\n" + string.Join('\n', wrong));
        Assert.DoesNotContain(outcomes, o => o.Routed && o.Case.District is null); // what fits several units or none is never routed
        var routable = outcomes.Where(o => o.Case.District is not null).ToList();
        Assert.True(AddressCorpus.Share(routable) >= 0.9, $"only {AddressCorpus.Share(routable):P0} of the routable addresses routed");
    }

    [Theory]
    [InlineData("đường Nguyễn Trãi")]
    [InlineData("120 Nguyễn Trãi")]
    [InlineData("số 45 phố Minh Khai")]
    [InlineData("hẻm 12 đường Trần Phú")]
    public async Task A_street_named_like_a_commune_elsewhere_is_not_that_commune(string address)
    {
        using var response = await app.CreateClient().GetAsync("/api/v1/units/match?address=" + Uri.EscapeDataString(address), Cancel);
        var problem = await response.ReadProblemAsync(HttpStatusCode.NotFound);
        Assert.Contains("No district or ward", problem.Str("detail"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_street_then_its_district_without_a_comma_is_the_district()
    {
        var body = await (await app.CreateClient().GetAsync("/api/v1/units/match?address=" + Uri.EscapeDataString("đường Nguyễn Trãi Thanh Xuân"), Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal("009", body.GetProperty("unit").Str("code")); // Quận Thanh Xuân, Hà Nội
        Assert.Null(body.Within());
    }

    [Fact]
    public async Task An_address_that_fits_several_wards_names_them_and_its_report_waits_for_triage_with_them()
    {
        var problem = await (await app.CreateClient().GetAsync("/api/v1/units/match?address=" + Uri.EscapeDataString("Phường 15"), Cancel)).ReadProblemAsync(HttpStatusCode.NotFound);
        var candidates = problem.GetProperty("candidates").EnumerateArray().Select(c => c.GetString()).ToList();
        Assert.Contains("Phường 15, Quận 8", candidates);
        Assert.Contains("Phường 15, Quận Gò Vấp", candidates);
        Assert.True(candidates.Count >= 5, string.Join("; ", candidates));

        var code = await app.CreateClient().SubmitAsync(new { description = "Rác thải đổ bừa bãi trước cổng chợ nhiều ngày", address = "hẻm 5, Phường 15" });
        var report = await app.CreateClient().WaitProcessedAsync(code);
        Assert.Equal("needs-triage", report.Str("status"));
        var (desk, _) = await app.SignedInAsync(StaffRoles.CityTriage, "79");
        var waiting = await (await desk.GetAsync($"/api/v1/staff/reports?q={code}", Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        var reason = Assert.Single(waiting.EnumerateArray()).Str("triageReason");
        Assert.StartsWith("Địa chỉ có thể thuộc nhiều đơn vị: ", reason, StringComparison.Ordinal);
        Assert.Contains("Phường 15, Quận 8", reason, StringComparison.Ordinal);
    }
}
