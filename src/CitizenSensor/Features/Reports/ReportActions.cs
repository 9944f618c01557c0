using CitizenSensor.Features.Staff;

namespace CitizenSensor.Features.Reports;

/// <summary>
/// Who may do what to a report: the one table behind the staff API, the staff pages and bulk actions. Where a role
/// may act is the unit scope's business (<see cref="UnitScope"/>); this says only which roles may act at all.
/// </summary>
public static class ReportActions
{
    public const string Accept = "accept";
    public const string AssignWard = "assign-ward";
    public const string AddNote = "add-note";
    public const string Resolve = "resolve";
    public const string Reject = "reject";
    public const string Merge = "merge";
    public const string Route = "route";
    public const string SetCategory = "set-category";
    public const string Close = "close";
    public const string Reopen = "reopen";

    private static readonly Dictionary<string, string[]> Roles = new(StringComparer.Ordinal)
    {
        // The unit that owns a report works it.
        [Accept] = [StaffRoles.Admin, StaffRoles.UnitOfficer],
        [AssignWard] = [StaffRoles.Admin, StaffRoles.UnitOfficer],
        [Resolve] = [StaffRoles.Admin, StaffRoles.UnitOfficer],
        // Both the unit and the city's desk may refuse one, or merge it into the report it repeats.
        [Reject] = [StaffRoles.Admin, StaffRoles.UnitOfficer, StaffRoles.CityTriage],
        [Merge] = [StaffRoles.Admin, StaffRoles.UnitOfficer, StaffRoles.CityTriage],
        // The city's desk decides where a report goes and what it is about, and may answer it itself.
        [Route] = [StaffRoles.Admin, StaffRoles.CityTriage],
        [SetCategory] = [StaffRoles.Admin, StaffRoles.CityTriage],
        [Close] = [StaffRoles.Admin, StaffRoles.CityTriage],
        [Reopen] = [StaffRoles.Admin, StaffRoles.CityTriage],
        // Call agents add what a caller said on the phone.
        [AddNote] = [StaffRoles.Admin, StaffRoles.UnitOfficer, StaffRoles.CityTriage, StaffRoles.CallAgent],
    };

    public static IEnumerable<string> All => Roles.Keys;

    public static bool Permits(StaffActor actor, string action) =>
        Roles.TryGetValue(action, out var roles) ? actor.HasAnyRole(roles) : throw new ArgumentOutOfRangeException(nameof(action), action, "Unknown report action.");
}
