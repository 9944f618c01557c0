using CitizenSensor.Data;
using CitizenSensor.Features.Audit;
using CitizenSensor.Features.Jurisdictions;
using CitizenSensor.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace CitizenSensor.Features.Staff;

/// <summary>
/// Creates staff accounts; shared by the create-admin command, demo seeding and the staff API, with one set of rules:
/// the role is checked here, the request validated before anything is written, the account saved with its audit entry.
/// </summary>
public sealed class StaffAccounts(
    UserManager<StaffUser> users, RoleManager<IdentityRole> roles, CitizenDb db, TimeProvider time, Auditor audit, IStringLocalizer<SharedResource> text)
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

    /// <summary>Who may create staff accounts: Admin (and the operator at the command line, who acts as Admin).</summary>
    public static bool MayCreate(StaffActor actor) => actor.IsAdmin;

    /// <summary>
    /// Creates an account for <paramref name="actor"/>, or says why not (not an Admin; a display name with markup or
    /// nothing visible; a weak password, a taken e-mail, an unknown unit…). The request is validated before anything
    /// is written; the account, its role and the audit entry are saved in one transaction. The create-admin command
    /// and the demo seeding act as <see cref="StaffActor.Operator"/>.
    /// </summary>
    public async Task<Outcome<StaffUser>> CreateAsync(StaffActor actor, CreateStaffRequest request, CancellationToken cancellationToken = default)
    {
        if (!MayCreate(actor))
        {
            return new Outcome<StaffUser>.Forbidden(text["Outcome_AdminOnly"]);
        }

        var (errors, unitPath) = await ValidateAsync(request, cancellationToken);
        if (errors.Count > 0)
        {
            return Outcome.Invalid<StaffUser>(errors);
        }

        var email = request.Email.Trim();
        var displayName = request.DisplayName.Trim();
        var user = new StaffUser
        {
            UserName = email,
            Email = email,
            EmailConfirmed = true,
            DisplayName = displayName,
            UnitCode = request.UnitCode,
            UnitPath = unitPath,
            CreatedAt = time.GetUtcNow(),
            LockoutEnabled = true,
        };
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var created = await users.CreateAsync(user, request.Password);
        if (!created.Succeeded)
        {
            return Outcome.Invalid<StaffUser>(ToErrors(created));
        }

        Check(await users.AddToRoleAsync(user, request.Role));
        audit.Record(actor, "staff.create", "staff-user", user.Id, null, new { email, displayName, role = request.Role, unitCode = request.UnitCode });
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return Outcome.Done(user);
    }

    private async Task<(Dictionary<string, string[]> Errors, string? UnitPath)> ValidateAsync(CreateStaffRequest request, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(request.Email))
        {
            errors["email"] = ["'email' is required."];
        }

        var displayName = request.DisplayName?.Trim() ?? "";
        if (displayName.Length is < 1 or > 200)
        {
            errors["displayName"] = ["'displayName' must be 1 to 200 characters."];
        }
        else
        {
            PlainText.CheckName("displayName", displayName, errors);
        }

        if (!StaffRoles.All.Contains(request.Role))
        {
            errors["role"] = [$"Unknown role '{PlainText.Shorten(request.Role ?? "", 40)}'. Roles: {string.Join(", ", StaffRoles.All)}."];
        }

        string? unitPath = null;
        if (request.UnitCode is { } unitCode)
        {
            var unit = await db.Units.IgnoreQueryFilters().Where(u => u.Code == unitCode)
                .Select(u => new { u.UnitPath, u.Name, u.SetId, u.Set!.ValidFrom, u.Set.ValidTo }).SingleOrDefaultAsync(cancellationToken);
            unitPath = unit?.UnitPath;
            var today = CityTime.DayOf(time.GetUtcNow());
            if (unit is null)
            {
                errors["unitCode"] = [$"There is no unit with code '{PlainText.Shorten(unitCode, 40)}'."];
            }
            else if (!UnitSet.Covers(unit.ValidFrom, unit.ValidTo, today))
            {
                // Accounts made before a reform keep their unit (and its records); new ones belong to today's units.
                errors["unitCode"] = [$"{unit.Name} ('{unitCode}') is a unit of set {unit.SetId}, not valid on {today:yyyy-MM-dd}: staff accounts belong to today's units (GET /api/v1/units?q= finds them)."];
            }
        }
        else if (request.Role != StaffRoles.Admin)
        {
            errors["unitCode"] = ["Every role except Admin works for a unit: give 'unitCode'."];
        }

        return (errors, unitPath);
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
