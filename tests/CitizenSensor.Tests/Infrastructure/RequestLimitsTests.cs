using System.Net;
using System.Net.Http.Json;

namespace CitizenSensor.Tests.Infrastructure;

/// <summary>Limits that only a real server enforces, so these run against Kestrel on a loopback port.</summary>
public sealed class RequestLimitsTests(KestrelCitizenApp app) : IClassFixture<KestrelCitizenApp>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_oversized_body_is_a_413_problem_and_nothing_is_created()
    {
        var user = await app.CreateStaffAsync(CitizenSensor.Features.Staff.StaffRoles.Viewer, "79");
        var huge = new string('x', 2 * 1024 * 1024);

        var response = await app.CreateClient().PostAsJsonAsync("/api/v1/auth/tokens", new { email = user.Email, password = CitizenApp.Password, name = huge }, Cancel);

        var problem = await response.ReadProblemAsync(HttpStatusCode.RequestEntityTooLarge);
        Assert.Contains("too large", problem.GetRawText(), StringComparison.OrdinalIgnoreCase);
        var client = await app.ClientWithTokenAsync(user.Email!);
        var tokens = await (await client.GetAsync("/api/v1/auth/tokens", Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(1, tokens.GetArrayLength()); // only the one just made to look
    }

    [Fact]
    public async Task The_login_form_refuses_a_post_without_its_antiforgery_token()
    {
        using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["Email"] = "a@b.vn", ["Password"] = "whatever-long" });

        var response = await app.CreateClient().PostAsync("/staff/login", form, Cancel);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }
}
