using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;

namespace CitizenSensor.Infrastructure;

/// <summary>
/// Reads an uploaded CSV (an office's spreadsheet saved as CSV: UTF-8 with or without a BOM, comma or semicolon) into
/// rows of named, trimmed fields with their line numbers, so that an importer can check every row before it keeps any
/// and name each bad line. Header names are matched without case; extra columns are ignored; missing ones are named.
/// </summary>
public static class CsvRows
{
    /// <summary>The rows, or why the file cannot be read: empty, a required column missing, not CSV, or more than <paramref name="maxRows"/>.</summary>
    public static async Task<(List<(int Line, Dictionary<string, string> Fields)> Rows, string? Problem)> ReadAsync(
        Stream body, IReadOnlyList<string> required, IReadOnlyList<string> optional, int maxRows, CancellationToken cancellationToken)
    {
        var rows = new List<(int Line, Dictionary<string, string> Fields)>();
        var columns = string.Join(",", required);
        using var reader = new StreamReader(body, System.Text.Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        using var csv = new CsvReader(reader, new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            PrepareHeaderForMatch = a => a.Header.Trim().ToLowerInvariant(),
            MissingFieldFound = null,
            BadDataFound = null,
            DetectDelimiter = true,
        });
        try
        {
            if (!await csv.ReadAsync() || !csv.ReadHeader())
            {
                return (rows, $"The file is empty: the first line must name the columns {columns}.");
            }

            var header = csv.HeaderRecord!.Select(h => h.Trim().ToLowerInvariant()).ToList();
            var missing = required.Where(c => !header.Contains(c)).ToList();
            if (missing.Count > 0)
            {
                return (rows, $"The header lacks the column(s) {string.Join(", ", missing)}; it must name {columns}.");
            }

            var read = required.Concat(optional.Where(header.Contains)).Distinct().ToList();
            while (await csv.ReadAsync())
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (rows.Count == maxRows)
                {
                    return (rows, $"The file has more than {maxRows:N0} rows; split it.");
                }

                var fields = read.ToDictionary(h => h, h => csv.GetField(h)?.Trim() ?? "");
                foreach (var absent in optional.Where(o => !fields.ContainsKey(o)))
                {
                    fields[absent] = "";
                }

                rows.Add((csv.Parser.RawRow, fields));
            }
        }
        catch (CsvHelperException e)
        {
            return (rows, $"The file is not valid CSV near line {e.Context?.Parser?.RawRow}.");
        }

        return (rows, rows.Count == 0 ? "The file has a header but no rows." : null);
    }
}
