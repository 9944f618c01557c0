namespace CitizenSensor.Features.Declarations;

/// <summary>Electronic health declarations, their follow-up by the wards' health officers, and their figures.</summary>
public static class DeclarationsSetup
{
    public static WebApplicationBuilder AddDeclarations(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        var options = builder.Configuration.GetSection("Declarations").Get<DeclarationOptions>() ?? new DeclarationOptions();
        services.AddSingleton(options);
        services.AddSingleton<Questionnaires>();
        services.AddSingleton<PartnerKeys>();
        services.AddScoped<QuestionnaireAdmin>();
        services.AddScoped<FollowUpDesk>();
        services.AddSingleton<DeclarationDesk>();
        services.AddSingleton<DeclarationWriter>();
        services.AddHostedService(s => s.GetRequiredService<DeclarationWriter>());
        services.AddSingleton<FollowUpMonitor>();
        if (options.FollowUpMonitorEnabled)
        {
            services.AddHostedService(s => s.GetRequiredService<FollowUpMonitor>());
        }

        services.AddSingleton<DeclarationRetention>();
        if (options.RetentionEnabled)
        {
            services.AddHostedService(s => s.GetRequiredService<DeclarationRetention>());
        }
        return builder;
    }

    public static WebApplication MapDeclarations(this WebApplication app)
    {
        app.MapQuestionnaireApi();
        app.MapDeclarationsApi();
        app.MapFollowUpsApi();
        app.MapDeclarationFiguresApi();
        return app;
    }
}
