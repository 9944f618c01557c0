using System.Net;

namespace CitizenSensor.Tests.Features.Jurisdictions;

/// <summary>Text → unit: addresses as people type them.</summary>
public sealed class AddressMatchTests(CitizenApp app) : IClassFixture<CitizenApp>
{
    [Theory]
    [InlineData("phuong Ben Nghe, quan 1", "760", "26740")]
    [InlineData("Phường Bến Nghé, Quận 1, TP.HCM", "760", "26740")]
    [InlineData("12 Nguyễn Huệ, p. bến nghé, q1, tp hcm", "760", "26740")]
    [InlineData("PHUONG BEN NGHE QUAN 1", "760", "26740")]
    [InlineData("P.12, Q.Gò Vấp", "764", "26881")]
    [InlineData("phuong 1 quan 3", "770", "27160")]
    [InlineData("Q. Gò Vấp", "764", null)]
    [InlineData("go vap", "764", null)]
    [InlineData("TP Thủ Đức", "769", null)]
    [InlineData("hoan kiem, ha noi", "002", null)]
    [InlineData("Số 1 Đại Cồ Việt, Hai Bà Trưng, Hà Nội", "007", null)]
    public async Task Addresses_with_or_without_diacritics_match_their_unit(string address, string district, string? ward)
    {
        var body = await (await Match(address)).ReadJsonAsync(HttpStatusCode.OK);

        Assert.Equal(district, body.GetProperty("unit").Str("code"));
        Assert.Equal(ward, body.Within());
    }

    [Theory]
    [InlineData("Phường 15", "several districts")]
    [InlineData("123 đường Không Tên", "No district")]
    [InlineData("Quận 1, Hà Nội", "No district")]
    public async Task Ambiguous_or_unknown_addresses_are_a_404_with_the_reason(string address, string reason)
    {
        var problem = await (await Match(address)).ReadProblemAsync(HttpStatusCode.NotFound);

        Assert.Contains(reason, problem.Str("detail"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_address_is_a_400()
    {
        var response = await app.CreateClient().GetAsync("/api/v1/units/match", TestContext.Current.CancellationToken);

        var problem = await response.ReadProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("address", out _));
    }

    private Task<HttpResponseMessage> Match(string address) =>
        app.CreateClient().GetAsync("/api/v1/units/match?address=" + Uri.EscapeDataString(address), TestContext.Current.CancellationToken);
}
