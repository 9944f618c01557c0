using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace CitizenSensor.Tests.Features.Venues;

internal static class VenueClient
{
    /// <summary>Phúc Xá (Ba Đình, Hà Nội): a ward with a district boundary around it.</summary>
    public const string Ward = "00001";

    public const string OtherDistrictWard = "00037"; // Phường Phúc Tân, Quận Hoàn Kiếm

    public static object NewVenue(string? name = null, string ward = Ward, string? phone = null) => new
    {
        name = name ?? $"Quán phở {Guid.NewGuid().ToString()[..6]}",
        kind = "restaurant",
        address = "12 Phúc Xá, Ba Đình",
        wardCode = ward,
        ownerName = "Nguyễn Văn An",
        ownerPhone = phone ?? "09" + Random.Shared.Next(10_000_000, 99_999_999),
    };

    public static async Task<JsonElement> RegisterAsync(this HttpClient client, object? venue = null)
    {
        var response = await client.PostAsJsonAsync("/api/v1/venues", venue ?? NewVenue(), TestContext.Current.CancellationToken);
        return await response.ReadJsonAsync(HttpStatusCode.Created);
    }

    public static string NewPhone() => "09" + Random.Shared.Next(10_000_000, 99_999_999);
}
