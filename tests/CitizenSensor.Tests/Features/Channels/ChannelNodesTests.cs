using System.Text.Json;
using CitizenSensor.Data;
using CitizenSensor.Features.Reports.Webhooks;
using CitizenSensor.Tests.Features.Reports;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CitizenSensor.Tests.Features.Channels;

/// <summary>
/// Several app nodes on one database, where only some have a channel configured (Facebook here): the others leave that
/// channel's messages to them instead of claiming and postponing them.
/// </summary>
public sealed class ChannelNodesTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_node_without_a_channel_leaves_its_messages_to_a_node_that_has_it()
    {
        var database = await TestDatabase.CreateAsync();
        await using var graph = await WebhookReceiver.StartAsync();
        try
        {
            await using var plain = new CitizenApp(database);
            await plain.InitializeAsync();
            long id;
            await using (var scope = plain.Services.CreateAsyncScope())
            {
                var db = scope.ServiceProvider.GetRequiredService<CitizenDb>();
                var message = WebhookOutbox.Messenger("psid-nodes-1", "Xin chào từ tổng đài 1022", plain.Time.GetUtcNow(), null, "reply");
                db.Add(message);
                await db.SaveChangesAsync(Cancel);
                id = message.Id;
            }

            // The node without Facebook does not take it: not leased, not postponed, no error.
            Assert.Equal(0, await plain.Services.GetRequiredService<WebhookSender>().SendDueAsync(Cancel));
            await using (var scope = plain.Services.CreateAsyncScope())
            {
                var row = await scope.ServiceProvider.GetRequiredService<CitizenDb>().WebhookDeliveries.AsNoTracking().SingleAsync(d => d.Id == id, Cancel);
                Assert.Null(row.LeaseOwner);
                Assert.Null(row.LastError);
                Assert.Equal(0, row.Attempts);
                Assert.Equal(plain.Time.GetUtcNow(), row.NextAttemptAt);
            }

            // A node with Facebook sends it.
            await using var facebook = new FacebookNode(database, graph);
            await facebook.InitializeAsync();
            var call = await graph.NextAsync();
            Assert.Equal("psid-nodes-1", JsonDocument.Parse(call.Body).RootElement.GetProperty("recipient").GetProperty("id").GetString());
        }
        finally
        {
            await database.DisposeAsync();
        }
    }

    private sealed class FacebookNode(TestDatabase database, WebhookReceiver graph) : CitizenApp(database)
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Facebook:AppSecret", "nodes-app-secret");
            builder.UseSetting("Facebook:VerifyToken", "nodes-verify");
            builder.UseSetting("Facebook:PageAccessToken", "PAGE-TOKEN");
            builder.UseSetting("Facebook:GraphApiBase", new Uri(graph.Address, "/v21.0").ToString());
            builder.UseSetting("Facebook:AllowPrivateNetworks", "true");
            builder.UseSetting("Reports:Webhooks:PollInterval", "00:00:00.100");
        }
    }
}
