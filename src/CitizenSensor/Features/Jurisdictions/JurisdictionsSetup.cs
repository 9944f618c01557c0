namespace CitizenSensor.Features.Jurisdictions;

public static class JurisdictionsSetup
{
    public static WebApplicationBuilder AddJurisdictions(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<JurisdictionCatalog>();
        builder.Services.AddSingleton<WardDirectory>();
        builder.Services.AddScoped<UnitImporter>();
        return builder;
    }

    public static WebApplication MapJurisdictions(this WebApplication app)
    {
        app.MapUnitsApi();
        return app;
    }
}
