using System.Globalization;
using System.Net;

namespace CitizenSensor.Tests.Features.Jurisdictions;

/// <summary>Point → unit on the real boundaries of Hà Nội and Hồ Chí Minh City.</summary>
public sealed class ResolveTests(CitizenApp app) : IClassFixture<CitizenApp>
{
    [Theory]
    [InlineData(10.7798, 106.6990, "79", "760")] // Nhà thờ Đức Bà, Quận 1
    [InlineData(10.7725, 106.6980, "79", "760")] // Chợ Bến Thành, Quận 1
    [InlineData(10.8132, 106.6644, "79", "766")] // Tân Sơn Nhất terminal, Quận Tân Bình
    [InlineData(10.7950, 106.7218, "79", "765")] // Landmark 81, Quận Bình Thạnh
    [InlineData(10.7496, 106.6510, "79", "775")] // Chợ Bình Tây, Quận 6
    [InlineData(10.4115, 106.9540, "79", "787")] // Cần Thạnh, Huyện Cần Giờ
    [InlineData(21.0288, 105.8525, "01", "002")] // Hồ Hoàn Kiếm
    [InlineData(21.0368, 105.8347, "01", "001")] // Lăng Chủ tịch Hồ Chí Minh, Quận Ba Đình
    [InlineData(21.0277, 105.8355, "01", "006")] // Văn Miếu, Quận Đống Đa
    [InlineData(21.2187, 105.8042, "01", "016")] // Nội Bài airport, Huyện Sóc Sơn
    public async Task Known_places_resolve_to_their_district_and_city(double lat, double lng, string province, string district)
    {
        var response = await app.CreateClient().GetAsync(Url(lat, lng), TestContext.Current.CancellationToken);

        var body = await response.ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(province, body.GetProperty("province").Str("code"));
        Assert.Equal(district, body.GetProperty("unit").Str("code"));
        Assert.False(string.IsNullOrEmpty(body.GetProperty("unit").Str("name")));
    }

    [Fact]
    public async Task A_point_in_a_gap_between_district_polygons_is_not_guessed()
    {
        // Former District 9, now Thành phố Thủ Đức: inside the city's outline, in no district polygon of the data.
        var response = await app.CreateClient().GetAsync(Url(10.8700, 106.8030), TestContext.Current.CancellationToken);

        var problem = await response.ReadProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal("in-no-unit", problem.Str("reason"));
        Assert.Equal("79", problem.GetProperty("province").Str("code"));
        Assert.Contains("Thành phố Hồ Chí Minh", problem.Str("detail"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(16.0544, 108.2022)] // Đà Nẵng
    [InlineData(0, 0)]
    [InlineData(-33.8688, 151.2093)] // Sydney
    public async Task A_point_outside_every_city_is_a_404_that_says_so(double lat, double lng)
    {
        var response = await app.CreateClient().GetAsync(Url(lat, lng), TestContext.Current.CancellationToken);

        var problem = await response.ReadProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal("outside-every-city", problem.Str("reason"));
        Assert.Contains("Hà Nội", problem.Str("detail"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("lat=abc&lng=106.7", "lat")]
    [InlineData("lat=10.7&lng=", "lng")]
    [InlineData("lng=106.7", "lat")]
    [InlineData("lat=91&lng=106.7", "lat")]
    [InlineData("lat=10.7&lng=-180.5", "lng")]
    [InlineData("lat=NaN&lng=106.7", "lat")]
    [InlineData("lat=1e999&lng=106.7", "lat")]
    [InlineData("lat=10,7&lng=106.7", "lat")]
    public async Task Bad_coordinates_are_a_400_naming_the_field(string query, string field)
    {
        var response = await app.CreateClient().GetAsync("/api/v1/units/resolve?" + query, TestContext.Current.CancellationToken);

        var problem = await response.ReadProblemAsync(HttpStatusCode.BadRequest);
        var message = Assert.Single(problem.GetProperty("errors").GetProperty(field).EnumerateArray()).GetString();
        Assert.Contains($"'{field}'", message, StringComparison.Ordinal);
    }

    private static string Url(double lat, double lng) =>
        string.Create(CultureInfo.InvariantCulture, $"/api/v1/units/resolve?lat={lat}&lng={lng}");
}
