using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CitizenSensor.Features.Staff;

/// <summary>A member of staff. Bound to a unit, a staff member sees that unit and everything below it.</summary>
public sealed class StaffUser : IdentityUser, IUnitScoped
{
    public string DisplayName { get; set; } = "";

    /// <summary>The unit this person works for; null only for administrators of the whole installation.</summary>
    public string? UnitCode { get; set; }

    /// <summary>Copy of the unit's path, so that scoping is a prefix match.</summary>
    public string? UnitPath { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}

internal sealed class StaffUserConfiguration : IEntityTypeConfiguration<StaffUser>
{
    public void Configure(EntityTypeBuilder<StaffUser> builder)
    {
        builder.Property(u => u.DisplayName).HasMaxLength(200);
        builder.Property(u => u.UnitCode).HasMaxLength(16);
        builder.Property(u => u.UnitPath).HasMaxLength(256);
        builder.HasIndex(u => u.UnitPath);
        builder.HasOne<Jurisdictions.HandlingUnit>().WithMany().HasForeignKey(u => u.UnitCode).OnDelete(DeleteBehavior.Restrict);
    }
}

/// <summary>The roles, as the city organises the work.</summary>
public static class StaffRoles
{
    /// <summary>Runs the installation: users, units, configuration.</summary>
    public const string Admin = "Admin";

    /// <summary>City-level dispatchers who classify and route what the machine could not.</summary>
    public const string CityTriage = "CityTriage";

    /// <summary>Officers of a district or ward who handle the reports routed to it.</summary>
    public const string UnitOfficer = "UnitOfficer";

    /// <summary>Call-centre operators who take reports by phone and make care calls.</summary>
    public const string CallAgent = "CallAgent";

    /// <summary>Health staff: declarations, exposure queries, care of isolated patients.</summary>
    public const string HealthOfficer = "HealthOfficer";

    /// <summary>Read-only: dashboards and reports, no personal data.</summary>
    public const string Viewer = "Viewer";

    public static IReadOnlyList<string> All { get; } = [Admin, CityTriage, UnitOfficer, CallAgent, HealthOfficer, Viewer];
}
