using CitizenSensor.Data;
using CitizenSensor.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace CitizenSensor.Features.Staff;

public sealed class DemoOptions
{
    /// <summary>Seed one account per role and show a demo banner. Default: on for the embedded database only.</summary>
    public bool Enabled { get; set; }
}

/// <summary>
/// Demo accounts for a first look at the embedded installation: one per role, all with the same published password.
/// Never enabled by default on PostgreSQL.
/// </summary>
public sealed partial class DemoAccounts(StaffAccounts accounts, CitizenDb db, ILogger<DemoAccounts> logger)
{
    public const string Password = "Demo-1022-password";

    public static IReadOnlyList<(string Email, string Name, string Role, string? Unit)> Accounts { get; } =
    [
        ("admin@demo.citizensensor.vn", "Quản trị viên (demo)", StaffRoles.Admin, null),
        ("triage@demo.citizensensor.vn", "Điều phối thành phố (demo)", StaffRoles.CityTriage, "79"),
        ("quan1@demo.citizensensor.vn", "Cán bộ Quận 1 (demo)", StaffRoles.UnitOfficer, "760"),
        ("quan3@demo.citizensensor.vn", "Cán bộ Quận 3 (demo)", StaffRoles.UnitOfficer, "770"),
        ("tongdai@demo.citizensensor.vn", "Tổng đài viên 1022 (demo)", StaffRoles.CallAgent, "79"),
        ("yte@demo.citizensensor.vn", "Cán bộ y tế (demo)", StaffRoles.HealthOfficer, "79"),
        ("xem@demo.citizensensor.vn", "Người xem (demo)", StaffRoles.Viewer, "79"),

        // Hà Nội, where the seed's QR venues, check-ins and health declarations come from.
        ("hanoi@demo.citizensensor.vn", "Điều phối Hà Nội (demo)", StaffRoles.CityTriage, "01"),
        ("yte-hanoi@demo.citizensensor.vn", "Cán bộ y tế Hà Nội (demo)", StaffRoles.HealthOfficer, "01"),
        ("phucxa@demo.citizensensor.vn", "Cán bộ y tế phường Phúc Xá (demo)", StaffRoles.HealthOfficer, "00001"),
    ];

    public async Task SeedAsync()
    {
        foreach (var (email, name, role, unit) in Accounts)
        {
            var normalized = email.ToUpperInvariant();
            if (await db.Users.IgnoreQueryFilters().AnyAsync(u => u.NormalizedEmail == normalized))
            {
                continue;
            }

            var outcome = await accounts.CreateAsync(StaffActor.Operator with { Name = "demo accounts" }, new CreateStaffRequest(email, name, Password, role, unit));
            if (outcome.IsRefused(out var message, out _))
            {
                LogNotCreated(logger, email, message);
            }
        }

        LogDemo(logger, Password, string.Join(", ", Accounts.Select(a => $"{a.Email} ({a.Role})")));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Demo account {Email} not created: {Errors}")]
    private static partial void LogNotCreated(ILogger logger, string email, string errors);

    [LoggerMessage(Level = LogLevel.Warning, Message = "DEMO MODE: sample staff accounts, password '{Password}': {Accounts}. Turn off with Demo__Enabled=false.")]
    private static partial void LogDemo(ILogger logger, string password, string accounts);
}
