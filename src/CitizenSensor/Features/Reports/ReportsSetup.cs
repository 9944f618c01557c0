using CitizenSensor.Features.Audit;
using CitizenSensor.Features.Reports.Attachments;
using CitizenSensor.Features.Reports.Classification;
using CitizenSensor.Features.Reports.Following;
using CitizenSensor.Features.Reports.Webhooks;

namespace CitizenSensor.Features.Reports;

public static class ReportsSetup
{
    public static WebApplicationBuilder AddReports(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ReportSignal>();
        builder.Services.AddSingleton<CategoryCache>();
        builder.Services.AddScoped<ReportIntake>();
        builder.Services.AddSingleton<ReportReceipt>();
        var mailResidents = builder.Configuration.GetValue("Reports:EmailReporters", !string.IsNullOrEmpty(builder.Configuration["Email:Smtp:Host"]));
        builder.Services.AddSingleton(new ReporterMailOptions
        {
            Enabled = mailResidents,
            FollowingOffered = mailResidents, // its links come from the site's public address (PublicSite)
        });
        builder.Services.AddScoped<ReportFollowing>();
        builder.Services.AddSingleton<OutboxRecipients>();
        builder.Services.AddSingleton(builder.Configuration.GetSection("Reports:ReporterRetention").Get<ReporterRetentionOptions>() ?? new ReporterRetentionOptions());
        builder.Services.AddSingleton<ReporterRetention>();
        builder.Services.AddHostedService(services => services.GetRequiredService<ReporterRetention>());
        builder.Services.AddSingleton<FollowerSweep>();
        builder.Services.AddHostedService(services => services.GetRequiredService<FollowerSweep>());
        builder.Services.AddSingleton<ReportWriter>();
        builder.Services.AddHostedService(services => services.GetRequiredService<ReportWriter>());
        builder.Services.AddSingleton(builder.Configuration.GetSection("Reports:Duplicates").Get<DuplicateOptions>() ?? new DuplicateOptions());
        builder.Services.AddSingleton<DuplicateFinder>();
        builder.Services.AddSingleton(builder.Configuration.GetSection("Reports:Attachments").Get<AttachmentOptions>() ?? new AttachmentOptions());
        var blobs = builder.Configuration.GetSection("Blobs").Get<BlobOptions>() ?? new BlobOptions();
        builder.Services.AddSingleton<IBlobStore>(services => new LocalBlobStore(
            Path.Combine(services.GetRequiredService<IWebHostEnvironment>().ContentRootPath, blobs.Path), services.GetRequiredService<TimeProvider>()));
        builder.Services.AddSingleton(services => new StagedFiles(
            services.GetRequiredService<Microsoft.AspNetCore.DataProtection.IDataProtectionProvider>(), services.GetRequiredService<TimeProvider>(),
            Path.Combine(services.GetRequiredService<IWebHostEnvironment>().ContentRootPath, blobs.Path, "staging")));
        builder.Services.AddSingleton<StagedFileSweep>();
        builder.Services.AddHostedService(services => services.GetRequiredService<StagedFileSweep>());
        builder.Services.AddScoped<ReportFiles>();
        builder.Services.AddScoped<ReportHandling>();
        builder.Services.AddScoped<ReportDetails>();
        builder.Services.AddScoped<CategoryAdmin>();
        builder.Services.AddScoped<ReportStatistics>();
        builder.Services.AddScoped<Inbox.ReportInbox>();
        builder.Services.AddScoped<Inbox.InboxBulk>();
        builder.Services.AddScoped<Inbox.InboxExport>();
        builder.Services.AddAudit();
        builder.Services.AddSingleton<SlaMonitor>();
        if (builder.Configuration.GetValue("Reports:Sla:Enabled", true))
        {
            builder.Services.AddHostedService(services => services.GetRequiredService<SlaMonitor>());
        }
        builder.Services.AddSingleton(ReportClassifier.LoadDefault());
        builder.Services.AddSingleton(builder.Configuration.GetSection("Reports:Processing").Get<ReportProcessingOptions>() ?? new ReportProcessingOptions());
        builder.Services.AddSingleton<ReportProcessor>();
        var webhooks = builder.Configuration.GetSection("Reports:Webhooks").Get<WebhookOptions>() ?? new WebhookOptions();
        builder.Services.AddSingleton(webhooks);
        builder.Services.AddSingleton<WebhookSender>();
        if (webhooks.Enabled)
        {
            builder.Services.AddHostedService(services => services.GetRequiredService<WebhookSender>());
        }

        builder.Services.AddHostedService<BackgroundService>(services =>
            services.GetRequiredService<ReportProcessingOptions>().Enabled ? services.GetRequiredService<ReportProcessor>() : new NoBackgroundWork());
        return builder;
    }

    public static WebApplication MapReports(this WebApplication app)
    {
        app.MapReportsApi();
        app.MapStaffReportsApi().MapWebhookDeliveries();
        app.MapAuditApi();
        app.MapSlaApi();
        app.MapReportStatsApi();
        app.MapCategoriesApi();
        return app;
    }
}

/// <summary>Stands in for the processor in a node configured not to process reports.</summary>
internal sealed class NoBackgroundWork : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => Task.CompletedTask;
}
