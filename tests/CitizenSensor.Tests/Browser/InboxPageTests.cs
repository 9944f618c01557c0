using CitizenSensor.Data;
using CitizenSensor.Features.Reports;
using CitizenSensor.Features.Staff;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace CitizenSensor.Tests.Browser;

/// <summary>A dispatcher's inbox on a 390 px phone in Chromium: no sideways scrolling, the map draws the filtered reports.</summary>
public sealed class InboxPageTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task The_inbox_fits_390_px_and_maps_the_filtered_reports()
    {
        var now = browser.App.Time.GetUtcNow();
        await using (var scope = browser.App.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<CitizenDb>();
            db.Reports.AddRange(Enumerable.Range(0, 12).Select(i => new Report
            {
                Id = Guid.NewGuid(),
                Code = Report.NewCode(),
                Description = "Quán karaoke trên đường Nguyễn Văn Lượng mở cửa quá giờ, khách đông, không đeo khẩu trang, rất ồn ào về đêm",
                Address = "Số 1234 đường Nguyễn Văn Lượng, Phường 17, Quận Gò Vấp, Thành phố Hồ Chí Minh",
                Latitude = 10.83 + (i * 0.001),
                Longitude = 106.67,
                Channel = ReportChannels.Phone,
                Status = i % 3 == 0 ? ReportStatus.InProgress : ReportStatus.Routed,
                CategoryCode = Category.Business,
                SubmittedAt = now.AddMinutes(-i),
                UnitCode = "764",
                UnitPath = "/79/764/",
                WardCode = "26875",
                RoutedAt = now,
                DueAt = i % 2 == 0 ? now.AddHours(-1) : now.AddDays(1),
            }));
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        }

        var dispatcher = await browser.App.CreateStaffAsync(StaffRoles.CityTriage, "79");
        var (page, errors) = await browser.NewPageAsync();
        await page.SetViewportSizeAsync(390, 844);
        await page.GotoAsync("/staff/reports?unit=764");
        await page.GetByLabel("Thư điện tử").FillAsync(dispatcher.Email!);
        await page.GetByLabel("Mật khẩu").FillAsync(CitizenApp.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Đăng nhập" }).ClickAsync();

        Assert.Contains("/staff/reports", page.Url, StringComparison.Ordinal);
        Assert.Equal(12, await page.Locator("#queue li").CountAsync());
        await page.Locator("#inbox-map[data-markers]").WaitForAsync(new() { State = WaitForSelectorState.Attached }); // drawn by a deferred script
        Assert.Equal("12", await page.Locator("#inbox-map").GetAttributeAsync("data-markers"));
        Assert.True(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth"), "the inbox scrolls sideways at 390 px");

        // The filter form is a plain GET: choosing "overdue" narrows the list and the map alike.
        await page.GetByLabel("Quá hạn", new() { Exact = true }).CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Lọc" }).ClickAsync();
        Assert.Contains("overdue=true", page.Url, StringComparison.Ordinal);
        Assert.Equal(6, await page.Locator("#queue li").CountAsync());
        await page.Locator("#inbox-map[data-markers]").WaitForAsync(new() { State = WaitForSelectorState.Attached }); // drawn by a deferred script
        Assert.Equal("6", await page.Locator("#inbox-map").GetAttributeAsync("data-markers"));
        Assert.True(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth"), "the inbox scrolls sideways at 390 px");

        // A page of 5: the list holds 5, the map still every report of the filter.
        await page.GotoAsync("/staff/reports?unit=764&limit=5");
        Assert.Equal(5, await page.Locator("#queue li").CountAsync());
        await page.Locator("#inbox-map[data-markers]").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        Assert.Equal("12", await page.Locator("#inbox-map").GetAttributeAsync("data-markers"));
        Assert.True(errors.Count == 0, string.Join('\n', errors));
    }
}
