using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace CitizenSensor.Data;

/// <summary>
/// Applies the pending migrations, stopping where a data step must run between two of them: a step needs the key
/// (<see cref="PersonalData"/>), which a SQL migration cannot hold. Both the start-up and the <c>migrate</c> command
/// migrate through here; the key is asked for only when a step finds rows to seal, so a new database and the operator
/// commands need none.
/// </summary>
public static class DatabaseMigrator
{
    /// <summary>The data steps: each runs after the migration whose name ends with its key, before the next one.</summary>
    private static readonly (string After, Func<CitizenDb, Func<PersonalData>, CancellationToken, Task> Step)[] Steps =
    [
        ("_SealPersonalData", PlainPersonalData.SealAsync),
    ];

    public static async Task MigrateAsync(CitizenDb db, Func<PersonalData> personal, CancellationToken cancellationToken)
    {
        var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
        var migrator = db.GetService<IMigrator>();
        foreach (var (after, step) in Steps)
        {
            var index = pending.FindIndex(m => m.EndsWith(after, StringComparison.Ordinal));
            if (index < 0)
            {
                continue;
            }

            await migrator.MigrateAsync(pending[index], cancellationToken);
            await step(db, personal, cancellationToken);
        }

        await db.Database.MigrateAsync(cancellationToken);
    }
}

/// <summary>
/// Seals the personal data that earlier versions kept in clear (reporters' names, phones and e-mails, reports' channel
/// addresses, venue owners' names and phones, callers' phones) into the sealed columns, and blanks the clear ones, a
/// batch at a time; the next migration then drops the clear columns. Written in SQL both providers read, against
/// the columns as they were.
/// </summary>
internal static class PlainPersonalData
{
    private const int Batch = 500;

    public static async Task SealAsync(CitizenDb db, Func<PersonalData> personal, CancellationToken cancellationToken)
    {
        var connection = db.Database.GetDbConnection();
        var opened = connection.State != System.Data.ConnectionState.Open;
        if (opened)
        {
            await connection.OpenAsync(cancellationToken);
        }

        try
        {
            await SealAllAsync(connection, personal, Reports, cancellationToken);
            await SealAllAsync(connection, personal, Venues, cancellationToken);
            await SealAllAsync(connection, personal, Calls, cancellationToken);
        }
        finally
        {
            if (opened)
            {
                await connection.CloseAsync();
            }
        }
    }

    private sealed record Table(string Select, string Update, Func<PersonalData, DbDataReader, object?[]> Seal);

    private static readonly Table Reports = new(
        """SELECT "Id", "ReporterName", "ReporterPhone", "ReporterEmail", "ChannelAddress" FROM "Reports" WHERE "ReporterName" IS NOT NULL OR "ReporterPhone" IS NOT NULL OR "ReporterEmail" IS NOT NULL OR "ChannelAddress" IS NOT NULL""",
        """UPDATE "Reports" SET "SealedReporterName" = @p1, "SealedReporterPhone" = @p2, "ReporterPhoneHash" = @p3, "SealedReporterEmail" = @p4, "SealedChannelAddress" = @p5, "ReporterName" = NULL, "ReporterPhone" = NULL, "ReporterEmail" = NULL, "ChannelAddress" = NULL WHERE "Id" = @p0""",
        (personal, row) =>
        {
            var phone = Text(row, 2);
            return [personal.Seal(Text(row, 1)), personal.Seal(phone), phone is null ? null : Features.Reports.Report.PhoneLookup(personal, phone), personal.Seal(Text(row, 3)), personal.Seal(Text(row, 4))];
        });

    private static readonly Table Venues = new(
        """SELECT "Id", "OwnerName", "OwnerPhone" FROM "Venues" WHERE length("SealedOwnerPhone") = 0""",
        """UPDATE "Venues" SET "SealedOwnerName" = @p1, "SealedOwnerPhone" = @p2, "OwnerPhoneHash" = @p3, "OwnerName" = '', "OwnerPhone" = '' WHERE "Id" = @p0""",
        (personal, row) => [personal.Encrypt(Text(row, 1) ?? ""), personal.Encrypt(Text(row, 2) ?? ""), Features.Venues.Venue.PhoneLookup(personal, Text(row, 2) ?? "")]);

    private static readonly Table Calls = new(
        """SELECT "Id", "CallerPhone" FROM "Calls" WHERE length("SealedCallerPhone") = 0""",
        """UPDATE "Calls" SET "SealedCallerPhone" = @p1, "CallerPhoneHash" = @p2, "CallerPhone" = '' WHERE "Id" = @p0""",
        (personal, row) => [personal.Encrypt(Text(row, 1) ?? ""), Features.Reports.Report.PhoneLookup(personal, Text(row, 1) ?? "")]);

    private static string? Text(DbDataReader row, int column) => row.IsDBNull(column) ? null : row.GetString(column);

    /// <summary>Seals the table's clear rows a batch (one transaction) at a time until none is left.</summary>
    private static async Task SealAllAsync(DbConnection connection, Func<PersonalData> personal, Table table, CancellationToken cancellationToken)
    {
        while (true)
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            var rows = new List<object?[]>();
            await using (var select = connection.CreateCommand())
            {
                select.Transaction = transaction;
                select.CommandText = table.Select + $" LIMIT {Batch}";
                await using var reader = await select.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    rows.Add([reader.GetValue(0), .. table.Seal(personal(), reader)]);
                }
            }

            if (rows.Count == 0)
            {
                return;
            }

            foreach (var values in rows)
            {
                await using var update = connection.CreateCommand();
                update.Transaction = transaction;
                update.CommandText = table.Update;
                for (var i = 0; i < values.Length; i++)
                {
                    var parameter = update.CreateParameter();
                    parameter.ParameterName = $"@p{i}";
                    parameter.Value = values[i] ?? DBNull.Value;
                    update.Parameters.Add(parameter);
                }

                await update.ExecuteNonQueryAsync(cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
        }
    }
}
