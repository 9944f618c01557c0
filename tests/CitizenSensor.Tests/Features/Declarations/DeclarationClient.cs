using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CitizenSensor.Tests.Features.Venues;

namespace CitizenSensor.Tests.Features.Declarations;

internal static class DeclarationClient
{
    /// <summary>Phúc Xá (Ba Đình, Hà Nội).</summary>
    public const string Ward = VenueClient.Ward;

    /// <summary>Ba Đình, Phúc Xá's district.</summary>
    public const string District = "001";

    /// <summary>Phúc Tân (Hoàn Kiếm): another district.</summary>
    public const string OtherWard = VenueClient.OtherDistrictWard;

    public static Dictionary<string, object?> Valid(string? phone = null, string name = "Nguyễn Thị Hoa", string ward = Ward, string[]? symptoms = null, string[]? exposures = null) => new()
    {
        ["fullName"] = name,
        ["birthYear"] = 1985,
        ["gender"] = "female",
        ["phone"] = phone ?? VenueClient.NewPhone(),
        ["citizenId"] = "001185012345",
        ["wardCode"] = ward,
        ["address"] = "12 Phúc Xá",
        ["symptoms"] = symptoms ?? [],
        ["exposures"] = exposures ?? [],
        ["chronicConditions"] = "Tăng huyết áp",
    };

    public static async Task<HttpResponseMessage> DeclareAsync(this HttpClient client, object body, string? language = null, string? partnerKey = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/declarations") { Content = JsonContent.Create(body) };
        if (language is not null)
        {
            request.Headers.AcceptLanguage.ParseAdd(language);
        }

        if (partnerKey is not null)
        {
            request.Headers.Add("X-Partner-Key", partnerKey);
        }

        return await client.SendAsync(request, TestContext.Current.CancellationToken);
    }

    public static async Task<JsonElement> DeclaredAsync(this HttpClient client, object body, string? partnerKey = null) =>
        await (await client.DeclareAsync(body, partnerKey: partnerKey)).ReadJsonAsync(HttpStatusCode.Created);
}
