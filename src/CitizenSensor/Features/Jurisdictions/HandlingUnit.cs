using CitizenSensor.Features.Staff;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CitizenSensor.Features.Jurisdictions;

/// <summary>
/// A unit of government that can own a report: a province, district, ward, or whatever levels a city loads.
/// The hierarchy is data: <see cref="Level"/> is the depth within its set, from 1 at the top, and <see cref="UnitPath"/>
/// lists the keys from the top down, so "everything under Quận 1" is a prefix match.
/// </summary>
public sealed class HandlingUnit : IUnitScoped
{
    /// <summary>
    /// The unit's key, which records store: its GSO code in the first set ("760", "26734"), the code and its set
    /// after ("26740@2025"), so that a code reused by a later reform never names two units (<see cref="UnitSet.KeyOf"/>).
    /// </summary>
    public required string Code { get; set; }

    /// <summary>The General Statistics Office code ("79", "760", "26740"): unique within its set, reused across sets.</summary>
    public required string GsoCode { get; set; }

    /// <summary>The reform whose unit this is (<see cref="UnitSet"/>).</summary>
    public required string SetId { get; set; }

    public UnitSet? Set { get; set; }

    /// <summary>Official name with its type, as the GSO writes it: "Quận Gò Vấp", "Phường Bến Nghé".</summary>
    public required string Name { get; set; }

    /// <summary>Quận, Huyện, Thị xã, Thành phố, Phường, Xã, Thị trấn, Thành phố Trung ương, Tỉnh…</summary>
    public required string Type { get; set; }

    /// <summary>The depth within its set, from 1 for the city: data, compared only with other depths of the set (<see cref="UnitSet.HandlingDepth"/>).</summary>
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

    /// <summary>The first key of a path: the city or province the unit lies in.</summary>
    public static string TopKey(string path) => path.Split('/', StringSplitOptions.RemoveEmptyEntries)[0];

    /// <summary>The key at a depth of a path (1 = the city), or the path's last when it is shallower: the unit that handles a ward.</summary>
    public static string KeyAtDepth(string path, int depth)
    {
        var keys = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        return keys[Math.Clamp(depth, 1, keys.Length) - 1];
    }
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
        builder.Property(u => u.GsoCode).HasMaxLength(16);
        builder.Property(u => u.SetId).HasMaxLength(16);
        builder.HasOne(u => u.Set).WithMany().HasForeignKey(u => u.SetId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(u => new { u.SetId, u.GsoCode }).IsUnique();
    }
}
