using System.Globalization;
using Microsoft.AspNetCore.Localization;

namespace CitizenSensor.Infrastructure;

/// <summary>Vietnamese first, English second: chosen by ?culture=, then the language cookie, then the browser.</summary>
public static class Localization
{
    public static readonly CultureInfo[] Cultures = [new("vi"), new("en")];

    public static IServiceCollection AddCityLocalization(this IServiceCollection services)
    {
        services.AddLocalization(options => options.ResourcesPath = "Resources");
        services.Configure<RequestLocalizationOptions>(options =>
        {
            options.DefaultRequestCulture = new RequestCulture("vi");
            options.SupportedCultures = Cultures;
            options.SupportedUICultures = Cultures;
            options.FallBackToParentCultures = true;
        });
        return services;
    }

    /// <summary><c>GET /culture/en?returnUrl=/units</c>: remembers the language for a year and goes back.</summary>
    public static IEndpointRouteBuilder MapCultureSwitch(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/culture/{culture}", (string culture, string? returnUrl, HttpContext http) =>
        {
            if (!Cultures.Any(c => c.Name == culture))
            {
                return Results.Problem(statusCode: 400, title: "Unsupported language", detail: "Choose 'vi' or 'en'.");
            }

            http.Response.Cookies.Append(
                CookieRequestCultureProvider.DefaultCookieName,
                CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(culture)),
                new CookieOptions { Expires = DateTimeOffset.UtcNow.AddYears(1), IsEssential = true, SameSite = SameSiteMode.Lax, HttpOnly = true });
            var target = !string.IsNullOrEmpty(returnUrl) && returnUrl.StartsWith('/') && !returnUrl.StartsWith("//", StringComparison.Ordinal) && !returnUrl.StartsWith("/\\", StringComparison.Ordinal)
                ? returnUrl
                : "/";
            return Results.LocalRedirect(target);
        }).ExcludeFromDescription();
        return routes;
    }
}
