using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;

namespace CitizenSensor.Tests;

/// <summary>
/// A browser-like session on the staff pages without a browser: signed in with the cookie through the login form,
/// posting forms with the antiforgery token the pages render, and not following redirects, so tests see the answer.
/// </summary>
public sealed partial class StaffPages(HttpClient client, string? token)
{
    public HttpClient Client { get; } = client;

    /// <summary>Nobody signed in.</summary>
    public static StaffPages Anonymous(CitizenApp app) => new(NewClient(app), null);

    public static async Task<StaffPages> SignInAsync(CitizenApp app, string email, string password = CitizenApp.Password)
    {
        var client = NewClient(app);
        var login = await client.GetStringAsync("/staff/login", TestContext.Current.CancellationToken);
        var response = await client.PostAsync("/staff/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Email"] = email,
            ["Password"] = password,
            ["ReturnUrl"] = "/staff",
            ["__RequestVerificationToken"] = TokenIn(login),
        }), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        // The token is bound to the signed-in user: take it from a page drawn for them (the layout's sign-out form).
        var home = await client.GetStringAsync("/staff", TestContext.Current.CancellationToken);
        return new StaffPages(client, TokenIn(home));
    }

    /// <summary>Posts a page handler's form, as the page's own form would.</summary>
    public Task<HttpResponseMessage> PostAsync(string path, string handler, IReadOnlyDictionary<string, string?> fields)
    {
        var form = fields.Where(f => f.Value is not null).ToDictionary(f => f.Key, f => f.Value!);
        if (token is not null)
        {
            form["__RequestVerificationToken"] = token;
        }

        return Client.PostAsync($"{path}?handler={handler}", new FormUrlEncodedContent(form), TestContext.Current.CancellationToken);
    }

    private static HttpClient NewClient(CitizenApp app) =>
        app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    private static string TokenIn(string html) =>
        WebUtility.HtmlDecode(TokenPattern().Match(html) is { Success: true } match ? match.Groups[1].Value : throw new InvalidOperationException("The page has no antiforgery token."));

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();
}
