using CitizenSensor.Data;
using CitizenSensor.Features.Audit;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace CitizenSensor.Features.Staff;

/// <summary>Creates staff accounts; shared by the create-admin command, demo seeding and the staff API.</summary>
public sealed class StaffAccounts(UserManager<StaffUser> users, RoleManager<IdentityRole> roles, CitizenDb db, TimeProvider time, Auditor audit)
{
    public async Task EnsureRolesAsync()
    {
        foreach (var role in StaffRoles.All)
        {
            if (!await roles.RoleExistsAsync(role))
            {
                Check(await roles.CreateAsync(new IdentityRole(role)));
            }
        }
    }

    /// <summary>
    /// Creates an account, or returns the errors that prevent it (weak password, taken e-mail, unknown unit…). The
    /// account, its role and the audit entry are saved in one transaction; <paramref name="actor"/> names who asked
    /// when nobody is signed in (an operator command, the demo seeding).
    /// </summary>
    public async Task<(StaffUser? User, Dictionary<string, string[]> Errors)> CreateAsync(string email, string password, string displayName, string role, string? unitCode, StaffActor actor)
    {
        var errors = new Dictionary<string, string[]>();
        if (!StaffRoles.All.Contains(role))
        {
            errors["role"] = [$"Unknown role '{role}'. Roles: {string.Join(", ", StaffRoles.All)}."];
        }

        string? unitPath = null;
        if (unitCode is not null)
        {
            unitPath = await db.Units.IgnoreQueryFilters().Where(u => u.Code == unitCode).Select(u => u.UnitPath).SingleOrDefaultAsync();
            if (unitPath is null)
            {
                errors["unitCode"] = [$"There is no unit with code '{unitCode}'."];
            }
        }
        else if (role != StaffRoles.Admin)
        {
            errors["unitCode"] = ["Every role except Admin works for a unit: give 'unitCode'."];
        }

        if (errors.Count > 0)
        {
            return (null, errors);
        }

        var user = new StaffUser
        {
            UserName = email,
            Email = email,
            EmailConfirmed = true,
            DisplayName = displayName,
            UnitCode = unitCode,
            UnitPath = unitPath,
            CreatedAt = time.GetUtcNow(),
            LockoutEnabled = true,
        };
        await using var transaction = await db.Database.BeginTransactionAsync();
        var created = await users.CreateAsync(user, password);
        if (!created.Succeeded)
        {
            return (null, ToErrors(created));
        }

        Check(await users.AddToRoleAsync(user, role));
        audit.Record(actor, "staff.create", "staff-user", user.Id, null, new { email, displayName, role, unitCode });
        await db.SaveChangesAsync();
        await transaction.CommitAsync();
        return (user, errors);
    }

    public static Dictionary<string, string[]> ToErrors(IdentityResult result) =>
        result.Errors
            .GroupBy(e => e.Code.Contains("Password", StringComparison.Ordinal) ? "password" : e.Code.Contains("Email", StringComparison.Ordinal) || e.Code.Contains("UserName", StringComparison.Ordinal) ? "email" : "account")
            .ToDictionary(g => g.Key, g => g.Select(e => e.Description).Distinct().ToArray());

    private static void Check(IdentityResult result)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException(string.Join("; ", result.Errors.Select(e => e.Description)));
        }
    }
}
