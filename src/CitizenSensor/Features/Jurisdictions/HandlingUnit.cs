using CitizenSensor.Features.Staff;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CitizenSensor.Features.Jurisdictions;

/// <summary>
/// A unit of government that can own a report: a province, district, ward, or whatever levels a city loads.
/// The hierarchy is data: <see cref="Level"/> counts from 1 at the top and <see cref="UnitPath"/> lists the codes
/// from the top down, so "everything under Quận 1" is a prefix match.
/// </summary>
public sealed class HandlingUnit : IUnitScoped
{
    /// <summary>The General Statistics Office code ("79", "760", "26734"): unique across levels.</summary>
    public required string Code { get; set; }

    /// <summary>Official name with its type, as the GSO writes it: "Quận Gò Vấp", "Phường Bến Nghé".</summary>
    public required string Name { get; set; }

    /// <summary>Quận, Huyện, Thị xã, Thành phố, Phường, Xã, Thị trấn, Thành phố Trung ương, Tỉnh…</summary>
    public required string Type { get; set; }

    public int Level { get; set; }

    public string? ParentCode { get; set; }

    public HandlingUnit? Parent { get; set; }

    /// <summary>"/79/760/26734/": the codes from the top level down to this unit.</summary>
    public required string UnitPath { get; set; }

    /// <summary>The name folded for diacritics-insensitive search ("quan go vap").</summary>
    public required string SearchName { get; set; }

    /// <summary>Boundary as WKB in WGS 84 (longitude, latitude), or null where none is known.</summary>
    public byte[]? Boundary { get; set; }

    /// <summary>Where the unit takes reports: internal contact details, shown to staff only.</summary>
    public string? ContactEmail { get; set; }

    public string? ContactPhone { get; set; }

    public static string PathOf(string? parentPath, string code) => (parentPath ?? "/") + code + "/";
}

internal sealed class HandlingUnitConfiguration : IEntityTypeConfiguration<HandlingUnit>
{
    public void Configure(EntityTypeBuilder<HandlingUnit> builder)
    {
        builder.ToTable("Units");
        builder.HasKey(u => u.Code);
        builder.Property(u => u.Code).HasMaxLength(16);
        builder.Property(u => u.Name).HasMaxLength(200);
        builder.Property(u => u.Type).HasMaxLength(64);
        builder.Property(u => u.UnitPath).HasMaxLength(256);
        builder.Property(u => u.SearchName).HasMaxLength(200);
        builder.Property(u => u.ContactEmail).HasMaxLength(256);
        builder.Property(u => u.ContactPhone).HasMaxLength(32);
        builder.HasOne(u => u.Parent).WithMany().HasForeignKey(u => u.ParentCode).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(u => u.UnitPath);
        builder.HasIndex(u => u.ParentCode);
        builder.HasIndex(u => u.SearchName);
    }
}
