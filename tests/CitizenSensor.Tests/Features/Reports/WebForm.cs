using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;

namespace CitizenSensor.Tests.Features.Reports;

/// <summary>The web form (<c>/report</c>) as a browser without JavaScript uses it: its cookies, its antiforgery token, multipart posts.</summary>
internal static partial class WebForm
{
    /// <summary>A browser of its own (its own cookies), not following redirects.</summary>
    public static HttpClient Browser(CitizenApp app) =>
        app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    public static byte[] Photo() => File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Assets", "photo.jpg"));

    /// <summary>Posts the form with these fields (Form.* names without the prefix) and files (name, bytes, type).</summary>
    public static async Task<HttpResponseMessage> FileAsync(HttpClient browser, IReadOnlyDictionary<string, string> fields, params (string Name, byte[] Bytes, string Type)[] files)
    {
        var page = await browser.GetStringAsync("/report", TestContext.Current.CancellationToken);
        return await PostAsync(browser, page, fields, files);
    }

    /// <summary>Posts the form as drawn in <paramref name="page"/> (its token and its hidden fields), with these fields and files.</summary>
    public static async Task<HttpResponseMessage> PostAsync(HttpClient browser, string page, IReadOnlyDictionary<string, string> fields, params (string Name, byte[] Bytes, string Type)[] files)
    {
        using var form = new MultipartFormDataContent
        {
            { new StringContent(WebUtility.HtmlDecode(TokenPattern().Match(page).Groups[1].Value)), "__RequestVerificationToken" },
        };
        foreach (Match hidden in KeptPattern().Matches(page))
        {
            form.Add(new StringContent(WebUtility.HtmlDecode(hidden.Groups[1].Value)), "Kept");
        }

        foreach (var (name, value) in fields)
        {
            form.Add(new StringContent(value), "Form." + name);
        }

        foreach (var (name, bytes, type) in files)
        {
            var content = new ByteArrayContent(bytes);
            content.Headers.ContentType = new MediaTypeHeaderValue(type);
            form.Add(content, "files", name);
        }

        return await browser.PostAsync("/report", form, TestContext.Current.CancellationToken);
    }

    /// <summary>The code of the report a successful post redirected to.</summary>
    public static string CodeOf(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return response.Headers.Location!.OriginalString.Split('/')[^1];
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();

    [GeneratedRegex("name=\"Kept\" value=\"([^\"]+)\"")]
    private static partial Regex KeptPattern();
}
