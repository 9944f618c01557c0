using System.Net;
using System.Text.Json;

namespace CitizenSensor.Tests;

internal static class Json
{
    public static async Task<JsonElement> ReadJsonAsync(this HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"Expected {(int)expected} but got {(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    /// <summary>Asserts an RFC 9457 problem response with the status, and returns it.</summary>
    public static async Task<JsonElement> ReadProblemAsync(this HttpResponseMessage response, HttpStatusCode expected)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.ReadJsonAsync(expected);
        Assert.Equal((int)expected, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("title").GetString()));
        return problem;
    }

    public static string Str(this JsonElement element, string property) => element.GetProperty(property).GetString()!;

    /// <summary>
    /// The unit an address or point answer names inside the one that handles it (a 2021 ward), or null: the last of
    /// its <c>units</c> when that is not the <c>unit</c> itself.
    /// </summary>
    public static string? Within(this JsonElement answer)
    {
        var units = answer.GetProperty("units");
        var last = units[units.GetArrayLength() - 1].Str("code");
        return last == answer.GetProperty("unit").Str("code") ? null : last;
    }

}
