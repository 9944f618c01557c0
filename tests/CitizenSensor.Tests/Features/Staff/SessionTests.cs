using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;

namespace CitizenSensor.Tests.Features.Staff;

/// <summary>Signing out ends the session: a copy of the cookie taken before (a shared computer, a stolen cookie) stops working.</summary>
public sealed partial class SessionTests(CitizenApp app) : IClassFixture<CitizenApp>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task After_signing_out_a_copy_of_the_old_cookie_opens_nothing()
    {
        var user = await app.CreateStaffAsync(CitizenSensor.Features.Staff.StaffRoles.UnitOfficer, "760");
        var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        var login = await client.GetAsync("/staff/login", Cancel);
        var antiforgery = CookiesOf(login);
        var signedIn = await SendAsync(client, HttpMethod.Post, "/staff/login", antiforgery, new()
        {
            ["Email"] = user.Email!,
            ["Password"] = CitizenApp.Password,
            ["__RequestVerificationToken"] = TokenIn(await login.Content.ReadAsStringAsync(Cancel)),
        });
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        var session = antiforgery + "; " + CookiesOf(signedIn);

        var home = await SendAsync(client, HttpMethod.Get, "/staff", session);
        Assert.Equal(HttpStatusCode.OK, home.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(client, HttpMethod.Get, "/api/v1/staff/me", session)).StatusCode);

        var signedOut = await SendAsync(client, HttpMethod.Post, "/staff/logout", session, new() { ["__RequestVerificationToken"] = TokenIn(await home.Content.ReadAsStringAsync(Cancel)) });
        Assert.Equal(HttpStatusCode.Redirect, signedOut.StatusCode);

        // The old cookie, replayed as it was.
        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(client, HttpMethod.Get, "/api/v1/staff/me", session)).StatusCode);
        var page = await SendAsync(client, HttpMethod.Get, "/staff", session);
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.StartsWith("/staff/login", page.Headers.Location!.OriginalString.Replace("http://localhost", "", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, HttpMethod method, string path, string cookies, Dictionary<string, string>? form = null)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Add("Cookie", cookies);
        if (form is not null)
        {
            request.Content = new FormUrlEncodedContent(form);
        }

        return await client.SendAsync(request, Cancel);
    }

    private static string CookiesOf(HttpResponseMessage response) =>
        string.Join("; ", response.Headers.TryGetValues("Set-Cookie", out var cookies) ? cookies.Select(c => c.Split(';')[0]) : []);

    private static string TokenIn(string html) => WebUtility.HtmlDecode(TokenPattern().Match(html).Groups[1].Value);

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();
}
