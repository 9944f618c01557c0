using System.Net;
using System.Text.Json;

namespace CitizenSensor.Tests.Features.Jurisdictions;

/// <summary>The shipped units, search and details.</summary>
public sealed class UnitsTests(CitizenApp app) : IClassFixture<CitizenApp>
{
    private static readonly string[] BoundaryTypes = ["Polygon", "MultiPolygon"];

    [Theory]
    [InlineData("01", "Thành phố Hà Nội", 30, 526)]
    [InlineData("79", "Thành phố Hồ Chí Minh", 22, 273)]
    public async Task Both_cities_ship_with_all_their_districts_and_wards(string code, string name, int districts, int wards)
    {
        var client = app.CreateClient();
        var city = await (await client.GetAsync($"/api/v1/units/{code}", TestContext.Current.CancellationToken)).ReadJsonAsync(HttpStatusCode.OK);

        Assert.Equal(name, city.Str("name"));
        Assert.Equal(1, city.GetProperty("level").GetInt32());
        Assert.True(city.GetProperty("hasBoundary").GetBoolean());
        var children = city.GetProperty("children").EnumerateArray().ToList();
        Assert.Equal(districts, children.Count);

        var wardCount = 0;
        foreach (var district in children)
        {
            var detail = await (await client.GetAsync($"/api/v1/units/{district.Str("code")}", TestContext.Current.CancellationToken)).ReadJsonAsync(HttpStatusCode.OK);
            Assert.Equal(code, detail.GetProperty("parent").Str("code"));
            wardCount += detail.GetProperty("children").GetArrayLength();
        }

        Assert.Equal(wards, wardCount);
    }

    [Fact]
    public async Task A_ward_lists_its_ancestors_from_the_top()
    {
        var ward = await (await app.CreateClient().GetAsync("/api/v1/units/26740", TestContext.Current.CancellationToken)).ReadJsonAsync(HttpStatusCode.OK);

        Assert.Equal("Phường Bến Nghé", ward.Str("name"));
        Assert.Equal("Phường", ward.Str("type"));
        Assert.Equal(3, ward.GetProperty("level").GetInt32());
        Assert.Equal(["79", "760"], ward.GetProperty("ancestors").EnumerateArray().Select(a => a.Str("code")));
        Assert.Equal(0, ward.GetProperty("children").GetArrayLength());
    }

    [Fact]
    public async Task An_unknown_code_is_a_404_problem()
    {
        var response = await app.CreateClient().GetAsync("/api/v1/units/99999", TestContext.Current.CancellationToken);

        var problem = await response.ReadProblemAsync(HttpStatusCode.NotFound);
        Assert.Contains("99999", problem.Str("detail"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("go vap", "764")]
    [InlineData("Gò Vấp", "764")]
    [InlineData("GÒ VẤP", "764")]
    [InlineData("q. go vap", "764")]
    [InlineData("go va", "764")]
    [InlineData("thu duc", "769")]
    [InlineData("ben nghe", "26740")]
    [InlineData("hoàn kiếm", "002")]
    [InlineData("dong da", "006")]
    public async Task Search_ignores_diacritics_case_and_abbreviations(string q, string expectedFirst)
    {
        var results = await Search($"q={Uri.EscapeDataString(q)}");

        Assert.NotEmpty(results);
        Assert.Equal(expectedFirst, results[0].Str("code"));
    }

    [Fact]
    public async Task Search_results_name_their_parent_so_equal_ward_names_can_be_told_apart()
    {
        var results = await Search("q=phuong%2015&limit=100");

        Assert.True(results.Count > 5);
        Assert.All(results, r => Assert.Equal("Phường 15", r.Str("name")));
        Assert.Equal(results.Count, results.Select(r => r.GetProperty("parent").Str("code")).Distinct().Count());
    }

    [Fact]
    public async Task Search_can_list_the_children_of_a_unit_by_level()
    {
        var districts = await Search("parent=79&limit=100");

        Assert.Equal(22, districts.Count);
        Assert.All(districts, d => Assert.Equal(2, d.GetProperty("level").GetInt32()));
    }

    [Theory]
    [InlineData("limit=0")]
    [InlineData("limit=101")]
    public async Task Search_rejects_a_limit_out_of_range(string query)
    {
        var response = await app.CreateClient().GetAsync("/api/v1/units?" + query, TestContext.Current.CancellationToken);

        var problem = await response.ReadProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("limit", out _));
    }

    [Fact]
    public async Task The_map_of_a_city_is_geojson_with_one_feature_per_district()
    {
        var response = await app.CreateClient().GetAsync("/api/v1/units/79/map", TestContext.Current.CancellationToken);

        Assert.Equal("application/geo+json", response.Content.Headers.ContentType?.MediaType);
        var map = await response.ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal("FeatureCollection", map.Str("type"));
        var features = map.GetProperty("features").EnumerateArray().ToList();
        Assert.Equal(22, features.Count);
        Assert.Contains(features, f => f.GetProperty("properties").Str("name") == "Quận Gò Vấp");
        foreach (var feature in features)
        {
            Assert.Contains(feature.GetProperty("geometry").Str("type"), BoundaryTypes);
            var first = FirstPosition(feature.GetProperty("geometry").GetProperty("coordinates"));
            Assert.InRange(first[0], 106.3, 107.1); // longitude first, as RFC 7946 says
            Assert.InRange(first[1], 10.3, 11.2);
        }
    }

    private async Task<List<JsonElement>> Search(string query)
    {
        var response = await app.CreateClient().GetAsync("/api/v1/units?" + query, TestContext.Current.CancellationToken);
        return (await response.ReadJsonAsync(HttpStatusCode.OK)).EnumerateArray().ToList();
    }

    private static double[] FirstPosition(JsonElement coordinates)
    {
        var current = coordinates;
        while (current[0].ValueKind == JsonValueKind.Array)
        {
            current = current[0];
        }

        return [current[0].GetDouble(), current[1].GetDouble()];
    }
}
