using CitizenSensor.Features.Venues.Compliance;

namespace CitizenSensor.Features.Venues;

/// <summary>QR locations, check-ins, their figures and the compliance of businesses that must have a QR.</summary>
public static class VenuesSetup
{
    public static WebApplicationBuilder AddVenues(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        var options = builder.Configuration.GetSection("Venues").Get<VenueOptions>() ?? new VenueOptions();
        services.AddSingleton(options);
        services.AddSingleton<VenueDirectory>();
        services.AddSingleton<CheckInPasses>();
        services.AddSingleton<CheckInDesk>();
        services.AddSingleton<CheckInWriter>();
        services.AddHostedService(s => s.GetRequiredService<CheckInWriter>());
        services.AddSingleton<CheckInRetention>();
        if (options.RetentionEnabled)
        {
            services.AddHostedService(s => s.GetRequiredService<CheckInRetention>());
        }

        services.AddScoped<BusinessMatcher>();
        services.AddScoped<BusinessRegistry>();
        services.AddScoped<VenueDesk>();
        services.AddScoped<CheckOuts>();
        services.ConfigureHttpJsonOptions(json => json.SerializerOptions.TypeInfoResolverChain.Insert(0, CheckInJson.Default));
        return builder;
    }

    public static WebApplication MapVenues(this WebApplication app)
    {
        app.MapVenuesApi();
        app.MapCheckInsApi();
        app.MapVenueFiguresApi();
        app.MapBusinessesApi();
        return app;
    }
}
