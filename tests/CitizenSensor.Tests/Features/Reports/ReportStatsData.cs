using CitizenSensor.Data;
using CitizenSensor.Features.Reports;
using CitizenSensor.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CitizenSensor.Tests.Features.Reports;

/// <summary>
/// A known day of reports for the statistics: five in Quận Gò Vấp (764) at 09:00 city time, with forwards and
/// results exactly at and just past the limits, and one in Quận Ba Đình (Hà Nội) that Gò Vấp's staff must not see.
/// Business reports must be forwarded within 5 minutes and answered within 60 (the seeded categories).
/// </summary>
public static class ReportStatsData
{
    public const string GoVap = "764";
    public const string BaDinh = "001";

    /// <summary>The codes of the five Gò Vấp reports: on time at both limits, late by a minute / a second, rejected, waiting, overdue.</summary>
    public sealed record Seeded(string OnTime, string Late, string Rejected, string Waiting, string Overdue, string HaNoi);

    public static async Task<Seeded> SeedAsync(CitizenApp app, DateOnly day)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CitizenDb>();
        var paths = await db.Units.IgnoreQueryFilters().Where(u => u.Code == GoVap || u.Code == BaDinh).ToDictionaryAsync(u => u.Code, u => u.UnitPath);
        var t0 = CityTime.StartOfDay(day).AddHours(9);
        Report Make(string unit, string category, string channel, ReportStatus status, TimeSpan? routedAfter) => new()
        {
            Code = Report.NewCode(),
            Description = "Số liệu thống kê thử",
            Channel = channel,
            Status = status,
            CategoryCode = category,
            UnitCode = unit,
            UnitPath = paths[unit],
            SubmittedAt = t0,
            RoutedAt = t0 + routedAfter,
            DueAt = t0 + routedAfter + TimeSpan.FromMinutes(60),
        };

        var onTime = Make(GoVap, Category.Business, ReportChannels.Web, ReportStatus.Resolved, TimeSpan.FromMinutes(5));
        onTime.ResolvedAt = onTime.DueAt; // exactly at the due time
        onTime.FineVnd = 2_000_000;
        onTime.BusinessSuspended = true;
        var late = Make(GoVap, Category.Business, ReportChannels.Phone, ReportStatus.Resolved, TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(1));
        late.ResolvedAt = late.DueAt + TimeSpan.FromSeconds(1);
        late.FineVnd = 500_000;
        var rejected = Make(GoVap, Category.Crowding, ReportChannels.Web, ReportStatus.Rejected, TimeSpan.FromMinutes(1));
        var waiting = Make(GoVap, Category.Business, ReportChannels.App, ReportStatus.NeedsTriage, null);
        var overdue = Make(GoVap, Category.Crowding, ReportChannels.Web, ReportStatus.InProgress, TimeSpan.FromMinutes(2));
        var haNoi = Make(BaDinh, Category.Business, ReportChannels.Web, ReportStatus.Resolved, TimeSpan.FromMinutes(3));
        haNoi.ResolvedAt = haNoi.RoutedAt + TimeSpan.FromMinutes(30);
        haNoi.FineVnd = 9_000_000;
        db.Reports.AddRange(onTime, late, rejected, waiting, overdue, haNoi);
        await db.SaveChangesAsync();
        return new Seeded(onTime.Code, late.Code, rejected.Code, waiting.Code, overdue.Code, haNoi.Code);
    }
}
