using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using CitizenSensor.Data;
using CitizenSensor.Features.Jurisdictions;
using CitizenSensor.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace CitizenSensor.Features.Staff;

public sealed record StaffProfile(string Id, string Email, string DisplayName, IReadOnlyList<string> Roles, UnitLink? Unit);

public sealed record StaffMember(string Id, string Email, string DisplayName, IReadOnlyList<string> Roles, UnitLink? Unit, bool LockedOut);

public sealed record CreateStaffRequest(
    [property: Required, EmailAddress, MaxLength(256)] string Email,
    [property: Required, MinLength(1), MaxLength(200)] string DisplayName,
    [property: Required, MaxLength(256)] string Password,
    [property: Required] string Role,
    [property: MaxLength(16)] string? UnitCode);

public sealed record UnitSettings(string Code, string Name, string Type, string? ContactEmail, string? ContactPhone);

/// <summary>A unit's new contact; <see cref="UnitContacts"/> validates it (after the role and scope checks).</summary>
public sealed record UnitContactRequest(string? ContactEmail, string? ContactPhone);

/// <summary>
/// The staff API. Every endpoint here runs inside the caller's unit scope (<see cref="UnitScope"/>): an officer of
/// Quận 1 gets 404 for anything of Quận 3, exactly as if it did not exist.
/// </summary>
public static class StaffApi
{
    public static RouteGroupBuilder MapStaffApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/staff").WithTags("Staff").RequireAuthorization().RequireUnitScope();
        group.MapGet("/me", Me).WithSummary("Who you are: roles and unit");
        group.MapGet("/users", ListUsers).RequireAuthorization(p => p.RequireRole(StaffRoles.Admin, StaffRoles.CityTriage, StaffRoles.UnitOfficer))
            .WithSummary("Staff of your unit and the units below it");
        group.MapGet("/users/{id}", GetUser).RequireAuthorization(p => p.RequireRole(StaffRoles.Admin, StaffRoles.CityTriage, StaffRoles.UnitOfficer));
        group.MapPost("/users", CreateUser).RequireAuthorization(p => p.RequireRole(StaffRoles.Admin)).WithSummary("Create a staff account (Admin)");
        group.MapGet("/units/{code}", GetUnit).WithSummary("A unit's internal settings, inside your scope");
        group.MapPut("/units/{code}/contact", UpdateUnitContact).RequireAuthorization(p => p.RequireRole(StaffRoles.Admin, StaffRoles.UnitOfficer))
            .WithSummary("Change where a unit takes reports");
        return group;
    }

    internal static async Task<Ok<StaffProfile>> Me(ClaimsPrincipal principal, CitizenDb db, CancellationToken cancellationToken)
    {
        var id = TokensApi.CurrentUserId(principal);
        var user = await db.Users.IgnoreQueryFilters().AsNoTracking()
            .Where(u => u.Id == id)
            .Select(u => new { u.Id, u.Email, u.DisplayName, u.UnitCode })
            .SingleAsync(cancellationToken);
        var unit = user.UnitCode is null ? null
            : await db.Units.IgnoreQueryFilters().Where(u => u.Code == user.UnitCode).Select(u => new UnitLink(u.Code, u.Name)).SingleOrDefaultAsync(cancellationToken);
        var roles = principal.FindAll(ClaimTypes.Role).Select(c => c.Value).Order(StringComparer.Ordinal).ToList();
        return TypedResults.Ok(new StaffProfile(user.Id, user.Email ?? "", user.DisplayName, roles, unit));
    }

    internal static async Task<Ok<List<StaffMember>>> ListUsers(CitizenDb db, TimeProvider time, CancellationToken cancellationToken)
    {
        var members = await Members(db.Users.OrderBy(u => u.Email).Take(500), db, time).ToListAsync(cancellationToken);
        return TypedResults.Ok(members);
    }

    internal static async Task<Results<Ok<StaffMember>, ProblemHttpResult>> GetUser(string id, CitizenDb db, TimeProvider time, CancellationToken cancellationToken)
    {
        var member = await Members(db.Users.Where(u => u.Id == id), db, time).SingleOrDefaultAsync(cancellationToken);
        return member is null
            ? TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Staff member not found", detail: $"There is no staff member '{id}' in your units.")
            : TypedResults.Ok(member);
    }

    internal static async Task<Results<Created<StaffMember>, ProblemHttpResult, ValidationProblem>> CreateUser(
        CreateStaffRequest request, StaffAccounts accounts, CitizenDb db, TimeProvider time, ClaimsPrincipal admin, CancellationToken cancellationToken)
    {
        var outcome = await accounts.CreateAsync(StaffActor.From(admin), request, cancellationToken);
        var member = outcome is Outcome<StaffUser>.Done done ? await Members(db.Users.Where(u => u.Id == done.Value.Id), db, time).SingleAsync(cancellationToken) : null;
        return outcome.ToApi(user => TypedResults.Created($"/api/v1/staff/users/{user.Id}", member!), "The account cannot be created");
    }

    internal static async Task<Results<Ok<UnitSettings>, ProblemHttpResult>> GetUnit(string code, CitizenDb db, CancellationToken cancellationToken)
    {
        var unit = await db.Units.AsNoTracking().Where(u => u.Code == code)
            .Select(u => new UnitSettings(u.Code, u.Name, u.Type, u.ContactEmail, u.ContactPhone))
            .SingleOrDefaultAsync(cancellationToken);
        return unit is null ? UnitsApi.UnitNotFound(code) : TypedResults.Ok(unit);
    }

    internal static async Task<Results<Ok<UnitSettings>, ProblemHttpResult, ValidationProblem>> UpdateUnitContact(
        string code, UnitContactRequest request, UnitContacts contacts, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        (await contacts.SetContactAsync(StaffActor.From(user), code, request, cancellationToken)).ToApi(TypedResults.Ok, "The unit's contact was not changed");

    /// <remarks>
    /// No IgnoreQueryFilters in here: EF applies it to the whole query, which would switch the scope off for the
    /// users too. A user inside the scope always has their unit inside it.
    /// </remarks>
    private static IQueryable<StaffMember> Members(IQueryable<StaffUser> users, CitizenDb db, TimeProvider time)
    {
        var now = time.GetUtcNow();
        return users.AsNoTracking().Select(u => new StaffMember(
            u.Id,
            u.Email ?? "",
            u.DisplayName,
            db.UserRoles.Where(ur => ur.UserId == u.Id).Join(db.Roles, ur => ur.RoleId, r => r.Id, (ur, r) => r.Name!).ToList(),
            u.UnitCode == null ? null : db.Units.Where(x => x.Code == u.UnitCode).Select(x => new UnitLink(x.Code, x.Name)).FirstOrDefault(),
            u.LockoutEnd != null && u.LockoutEnd > now));
    }
}
