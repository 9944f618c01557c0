using System.Net;
using CitizenSensor.Features.Staff;
using Microsoft.AspNetCore.Hosting;

namespace CitizenSensor.Tests.Features.Staff;

/// <summary>Demo mode seeds one account per role, each able to sign in with the published password.</summary>
public sealed class DemoModeTests(DemoModeTests.DemoApp app) : IClassFixture<DemoModeTests.DemoApp>
{
    public sealed class DemoApp : CitizenApp
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Demo:Enabled", "true");
        }
    }

    [Fact]
    public async Task Every_role_has_a_demo_account_that_signs_in_with_its_unit()
    {
        foreach (var (email, _, role, unit) in DemoAccounts.Accounts)
        {
            var client = await app.ClientWithTokenAsync(email, DemoAccounts.Password);
            var me = await (await client.GetAsync("/api/v1/staff/me", TestContext.Current.CancellationToken)).ReadJsonAsync(HttpStatusCode.OK);

            Assert.Equal([role], me.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
            Assert.Equal(unit, me.GetProperty("unit").ValueKind == System.Text.Json.JsonValueKind.Null ? null : me.GetProperty("unit").Str("code"));
        }

        Assert.Equal(StaffRoles.All.Order(), DemoAccounts.Accounts.Select(a => a.Role).Distinct().Order());
    }

    [Fact]
    public async Task Pages_show_the_demo_banner()
    {
        var html = await app.CreateClient().GetStringAsync("/", TestContext.Current.CancellationToken);

        Assert.Contains("demo-banner", html, StringComparison.Ordinal);
    }
}
