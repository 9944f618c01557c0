using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;
using CitizenSensor.Data;
using CitizenSensor.Features.Staff;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.WebEncoders;
using Scalar.AspNetCore;

namespace CitizenSensor.Infrastructure;

/// <summary>Everything around the features: errors, pages, languages, OpenAPI, health, logs, security headers.</summary>
public static class WebSurface
{
    public const long MaxRequestBodyBytes = 1024 * 1024;

    public static WebApplicationBuilder AddWebSurface(this WebApplicationBuilder builder, DatabaseOptions database)
    {
        var services = builder.Services;
        // JSON and forms are small; endpoints that take files raise their own limit.
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = MaxRequestBodyBytes);
        services.AddErrorHandling();
        builder.AddPublicLimits();
        PublicSite.AddPublicSite(builder);
        BaseMap.AddBaseMap(builder);
        services.AddValidation();
        services.AddCityLocalization();
        // Vietnamese letters go out as themselves, not as &#x1ED5; entities.
        services.Configure<WebEncoderOptions>(options => options.TextEncoderSettings = new TextEncoderSettings(UnicodeRanges.All));
        services.AddRazorPages(options => options.RootDirectory = "/").AddViewLocalization();
        services.AddOpenApi();
        services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database");
        services.AddDataProtection().SetApplicationName("CitizenSensor").PersistKeysToDbContext<CitizenDb>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(builder.Configuration.GetSection("Demo").Get<DemoOptions>()
            ?? new DemoOptions { Enabled = database.Provider == DatabaseProvider.Sqlite });
        services.AddScoped<DemoAccounts>();

        if (!builder.Environment.IsDevelopment())
        {
            builder.Logging.AddJsonConsole(options => options.IncludeScopes = true);
        }

        return builder;
    }

    public static WebApplication UseWebSurface(this WebApplication app)
    {
        // The portal does not start without its data key (PostgreSQL) rather than failing on the first sealed record;
        // operator commands (migrate, create-admin…) need none.
        app.Services.GetRequiredService<PersonalData>();
        app.Services.GetRequiredService<PublicSite>(); // likewise its public address
        app.UseTrustedProxies();
        app.UseErrorHandling();
        app.UseSecurityHeaders();
        app.UseRequestLocalization();
        app.UseStaticFiles();
        app.UseRouting();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseLimitKeysFromForms();
        app.UseRateLimiter(); // after sign-in: staff are not counted (PublicLimits)
        app.UseAntiforgery();
        return app;
    }

    public static WebApplication MapWebSurface(this WebApplication app)
    {
        app.MapRazorPages();
        app.MapCultureSwitch();
        // Browsers ask for /favicon.ico on pages without our layout (problem responses): point them at the real icon.
        app.MapGet("/favicon.ico", () => Results.Redirect("/favicon.svg", permanent: true)).ExcludeFromDescription();
        app.MapOpenApi();
        app.MapScalarApiReference(options => options.WithTitle("CitizenSensor API"));
        app.MapHealthChecks("/healthz", new HealthCheckOptions { ResponseWriter = WriteHealth });
        return app;
    }

    private static Task WriteHealth(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(JsonSerializer.Serialize(new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString(), description = e.Value.Description }),
        }));
    }

    private sealed class DatabaseHealthCheck(CitizenDb db) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
            await db.Database.CanConnectAsync(cancellationToken)
                ? HealthCheckResult.Healthy($"{db.Database.ProviderName} reachable")
                : HealthCheckResult.Unhealthy($"{db.Database.ProviderName} unreachable");
    }
}
