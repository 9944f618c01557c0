using CitizenSensor.Data;
using CitizenSensor.Infrastructure;
using Microsoft.EntityFrameworkCore;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;

namespace CitizenSensor.Features.Jurisdictions;

public sealed record UnitImportResult(int Added, int Updated, int Boundaries);

/// <summary>
/// Loads units into the database: adds new codes, updates names, types and parents of known ones, and never
/// deletes (reports keep pointing at the units they were routed to).
/// </summary>
public sealed partial class UnitImporter(CitizenDb db, JurisdictionCatalog catalog, ILogger<UnitImporter> logger)
{
    public static string ShippedDataFolder => Path.Combine(AppContext.BaseDirectory, "data", "vn-admin");

    /// <summary>Loads the units the app ships with (Hà Nội and Hồ Chí Minh City) when the table is empty.</summary>
    public async Task<bool> SeedShippedUnitsAsync(CancellationToken cancellationToken)
    {
        if (await db.Units.IgnoreQueryFilters().AnyAsync(cancellationToken))
        {
            return false;
        }

        var folder = ShippedDataFolder;
        var result = await ImportFilesAsync(
            Path.Combine(folder, "units-01-79.json"),
            [Path.Combine(folder, "gis-01.json"), Path.Combine(folder, "gis-79.json")],
            cancellationToken);
        LogSeeded(logger, result.Added, result.Boundaries);
        return true;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Loaded the shipped units: {Added} units, {Boundaries} boundaries")]
    private static partial void LogSeeded(ILogger logger, int added, int boundaries);

    public async Task<UnitImportResult> ImportFilesAsync(string unitsFile, IEnumerable<string> boundaryFiles, CancellationToken cancellationToken)
    {
        IReadOnlyList<UnitRecord> units;
        await using (var stream = File.OpenRead(unitsFile))
        {
            units = UnitFile.ReadUnits(stream);
        }

        var boundaries = new Dictionary<string, Geometry>(StringComparer.Ordinal);
        foreach (var file in boundaryFiles)
        {
            await using var stream = File.OpenRead(file);
            foreach (var (code, geometry) in UnitFile.ReadBoundaries(stream))
            {
                boundaries[code] = geometry;
            }
        }

        return await ImportAsync(units, boundaries, cancellationToken);
    }

    public async Task<UnitImportResult> ImportAsync(IReadOnlyList<UnitRecord> units, IReadOnlyDictionary<string, Geometry> boundaries, CancellationToken cancellationToken)
    {
        var existing = await db.Units.IgnoreQueryFilters().ToDictionaryAsync(u => u.Code, StringComparer.Ordinal, cancellationToken);
        var paths = existing.Values.ToDictionary(u => u.Code, u => u.UnitPath, StringComparer.Ordinal);
        var writer = new WKBWriter();
        int added = 0, updated = 0, withBoundary = 0;

        foreach (var record in units)
        {
            string? parentPath = null;
            if (record.ParentCode is not null && !paths.TryGetValue(record.ParentCode, out parentPath))
            {
                throw new InvalidDataException($"Unit {record.Code} names parent {record.ParentCode}, which is neither in the file before it nor in the database.");
            }

            var path = HandlingUnit.PathOf(parentPath, record.Code);
            paths[record.Code] = path;
            var level = parentPath is null ? 1 : parentPath.Count(c => c == '/');
            byte[]? boundary = boundaries.TryGetValue(record.Code, out var geometry) ? writer.Write(geometry) : null;
            withBoundary += boundary is null ? 0 : 1;

            if (existing.TryGetValue(record.Code, out var unit))
            {
                unit.Name = record.Name;
                unit.Type = record.Type;
                unit.Level = level;
                unit.ParentCode = record.ParentCode;
                unit.UnitPath = path;
                unit.SearchName = VietnameseText.Fold(record.Name);
                unit.Boundary = boundary ?? unit.Boundary;
                updated++;
            }
            else
            {
                unit = new HandlingUnit
                {
                    Code = record.Code,
                    Name = record.Name,
                    Type = record.Type,
                    Level = level,
                    ParentCode = record.ParentCode,
                    UnitPath = path,
                    SearchName = VietnameseText.Fold(record.Name),
                    Boundary = boundary,
                };
                db.Units.Add(unit);
                existing[record.Code] = unit;
                added++;
            }
        }

        await db.SaveChangesAsync(cancellationToken);
        catalog.Reset();
        return new UnitImportResult(added, updated, withBoundary);
    }
}
