using CitizenSensor.Features.Channels.Email;
using CitizenSensor.Features.Channels.Facebook;
using CitizenSensor.Features.Channels.Open311;
using CitizenSensor.Features.Channels.Phone;
using CitizenSensor.Features.Reports.Webhooks;

namespace CitizenSensor.Features.Channels;

/// <summary>The doors a report can come in by besides the web form and the app API, each answering on its own channel.</summary>
public static class ChannelsSetup
{
    public static WebApplicationBuilder AddChannels(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton(builder.Configuration.GetSection("Open311").Get<Open311Options>() ?? new Open311Options());
        builder.Services.AddSingleton<Open311Jurisdictions>();
        // Asked before the default problem+json writer, so that errors under /open311 are Open311 bodies.
        builder.Services.Insert(0, ServiceDescriptor.Singleton<IProblemDetailsWriter, Open311ProblemWriter>());
        builder.Services.AddTransient<IStartupFilter, Open311PathFilter>();
        builder.Services.AddScoped<Open311Keys>();
        builder.Services.AddScoped<Phone.CallDesk>();

        var facebook = builder.Configuration.GetSection("Facebook").Get<FacebookOptions>() ?? new FacebookOptions();
        builder.Services.AddSingleton(facebook);
        builder.Services.AddScoped<MessengerConversations>();
        builder.Services.AddSingleton<MessengerChannel>();
        if (facebook.Enabled)
        {
            builder.Services.AddSingleton<IMessageChannel>(services => services.GetRequiredService<MessengerChannel>());
        }

        var email = builder.Configuration.GetSection("Email").Get<EmailOptions>() ?? new EmailOptions();
        builder.Services.AddSingleton(email);
        builder.Services.AddScoped<EmailReports>();
        if (email.SendEnabled)
        {
            builder.Services.AddSingleton<IMessageChannel, EmailChannel>();
        }

        var sms = builder.Configuration.GetSection("Sms").Get<Sms.SmsOptions>() ?? new Sms.SmsOptions();
        builder.Services.AddSingleton(sms);
        if (sms.Enabled)
        {
            builder.Services.AddSingleton<IMessageChannel, Sms.SmsChannel>();
        }

        if (email.ReceiveEnabled)
        {
            builder.Services.AddHostedService<MailboxPoller>();
        }

        return builder;
    }

    public static WebApplication MapChannels(this WebApplication app)
    {
        app.MapOpen311();
        app.MapOpen311Keys();
        app.MapMessengerWebhook();
        app.MapCalls();
        return app;
    }
}
