using System.Data.Common;
using CitizenSensor.Data;
using CitizenSensor.Features.Jurisdictions;
using CitizenSensor.Infrastructure;
using Microsoft.Data.Sqlite;
using Npgsql;
using NpgsqlTypes;

namespace CitizenSensor.Features.Declarations;

/// <summary>A declaration ready to store: validated, its answers sealed, its person hashed.</summary>
public sealed record NewDeclaration(
    DateTimeOffset At, byte[] PersonHash, byte[] Payload, WardInfo Ward, Symptoms Symptoms, Exposures Exposures, string Source, int QuestionnaireVersion)
{
    public bool Symptomatic => (Symptoms & Symptoms.Warning) != 0;

    /// <summary>Fever, cough or difficulty breathing, or any exposure: a health officer calls.</summary>
    public bool NeedsFollowUp => Symptomatic || Exposures != Exposures.None;
}

/// <summary>Where a declaration was stored: its id and its version among the person's declarations of that day.</summary>
public readonly record struct StoredDeclaration(long Id, int Version);

/// <summary>
/// The declaration ingest path (<see cref="GroupCommitWriter{TItem,TResult}"/>). One transaction per batch stores, in
/// this order: the person-days under both day definitions (<see cref="DeclarationPersonDay"/>, one upsert per person and
/// day, which says whether the person is new that day and whether this batch made them symptomatic or exposed, and
/// numbers the versions), the day figures (<see cref="DeclarationDay"/>), the declarations, and the follow-up tasks (one
/// open task per person). Rows are locked in key order, so writers on several nodes never deadlock.
/// </summary>
public sealed class DeclarationWriter(IServiceScopeFactory scopes, DeclarationOptions options, ILogger<DeclarationWriter> logger)
    : GroupCommitWriter<NewDeclaration, StoredDeclaration>(logger, MaxBatch)
{
    public const int MaxBatch = 5_000;

    private static readonly ReportingDay[] Definitions = [ReportingDay.Calendar, ReportingDay.NoonToNoon];

    private readonly WriterConnection _connection = new(scopes);

    protected override async Task<StoredDeclaration[]> CommitAsync(List<NewDeclaration> items, CancellationToken cancellationToken)
    {
        // Marks the flags this batch turns on; random, so that batches of different nodes never share one.
        var batch = Random.Shared.NextInt64(1, long.MaxValue);
        var people = new SortedDictionary<PersonDayKey, PersonDayDraft>();
        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i];
            foreach (var definition in Definitions)
            {
                var key = new PersonDayKey(definition, Declaration.ReportingDayOf(item.At, definition), Convert.ToHexString(item.PersonHash));
                if (!people.TryGetValue(key, out var draft))
                {
                    people[key] = draft = new PersonDayDraft(item);
                }

                draft.Items.Add(i);
                if (item.Symptomatic && draft.SymptomaticSource is null)
                {
                    draft.SymptomaticSource = item.Source;
                }

                draft.Exposed |= item.Exposures != Exposures.None;
            }
        }

        return await _connection.UseAsync(connection => StoreAsync(connection, items, batch, people, cancellationToken), cancellationToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await _connection.DisposeAsync();
    }

    private async Task<StoredDeclaration[]> StoreAsync(
        DbConnection connection, List<NewDeclaration> items, long batch, SortedDictionary<PersonDayKey, PersonDayDraft> people, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var store = connection is NpgsqlConnection pg ? (Store)new PostgresStore(pg) : new SqliteStore((SqliteConnection)connection);

        var stored = await store.UpsertPeopleAsync(people, batch, cancellationToken);
        var versions = new int[items.Count];
        var figures = new SortedDictionary<FigureKey, FigureDraft>();
        FigureDraft Figure(ReportingDay definition, DateOnly day, string ward, string district, string source)
        {
            var key = new FigureKey(definition, day, ward, source);
            return figures.TryGetValue(key, out var figure) ? figure : figures[key] = new FigureDraft(district);
        }

        foreach (var (key, draft) in people)
        {
            var row = stored[key];
            var count = draft.Items.Count;
            if (key.Definition == ReportingDay.Calendar)
            {
                for (var j = 0; j < count; j++)
                {
                    versions[draft.Items[j]] = row.Declarations - count + j + 1;
                }
            }

            if (row.Declarations == count)
            {
                Figure(key.Definition, key.Day, row.WardCode, row.DistrictCode, row.Source).People++;
            }

            if (row.SymptomaticBatch == batch)
            {
                Figure(key.Definition, key.Day, row.WardCode, row.DistrictCode, row.SymptomaticSource!).Symptomatic++;
            }

            if (row.ExposedBatch == batch)
            {
                Figure(key.Definition, key.Day, row.WardCode, row.DistrictCode, row.Source).Exposed++;
            }

            foreach (var i in draft.Items)
            {
                Figure(key.Definition, key.Day, items[i].Ward.Code, items[i].Ward.DistrictCode, items[i].Source).Submissions++;
            }
        }

        await store.AddFiguresAsync(figures, cancellationToken);
        var ids = await store.InsertDeclarationsAsync(items, versions, cancellationToken);

        // One task per person: the batch's declarations of one person merge into one row (their flags together, the
        // latest declaration), then join the person's open task if there is one.
        var tasks = items.Select((item, i) => (Item: item, Id: ids[i])).Where(d => d.Item.NeedsFollowUp)
            .GroupBy(d => Convert.ToHexString(d.Item.PersonHash), StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new TaskDraft(g.First().Item, g.Last().Id,
                g.Aggregate(Symptoms.None, (s, d) => s | d.Item.Symptoms), g.Aggregate(Exposures.None, (e, d) => e | d.Item.Exposures),
                g.First().Item.At + options.FollowUpDue))
            .ToList();
        await store.UpsertTasksAsync(tasks, cancellationToken);

        await transaction.CommitAsync(cancellationToken);
        return [.. ids.Select((id, i) => new StoredDeclaration(id, versions[i]))];
    }

    private readonly record struct PersonDayKey(ReportingDay Definition, DateOnly Day, string Hash) : IComparable<PersonDayKey>
    {
        public int CompareTo(PersonDayKey other) =>
            Definition != other.Definition ? Definition.CompareTo(other.Definition)
            : Day != other.Day ? Day.CompareTo(other.Day)
            : string.CompareOrdinal(Hash, other.Hash);
    }

    private sealed class PersonDayDraft(NewDeclaration first)
    {
        public NewDeclaration First { get; } = first;

        public List<int> Items { get; } = [];

        public string? SymptomaticSource { get; set; }

        public bool Exposed { get; set; }
    }

    /// <summary>The person-day as stored after the upsert.</summary>
    private sealed record PersonDayRow(int Declarations, string WardCode, string DistrictCode, string Source, string? SymptomaticSource, long? SymptomaticBatch, long? ExposedBatch);

    private readonly record struct FigureKey(ReportingDay Definition, DateOnly Day, string WardCode, string Source) : IComparable<FigureKey>
    {
        public int CompareTo(FigureKey other) =>
            Definition != other.Definition ? Definition.CompareTo(other.Definition)
            : Day != other.Day ? Day.CompareTo(other.Day)
            : string.CompareOrdinal(WardCode, other.WardCode) is var c and not 0 ? c
            : string.CompareOrdinal(Source, other.Source);
    }

    private sealed class FigureDraft(string districtCode)
    {
        public string DistrictCode { get; } = districtCode;

        public int People { get; set; }

        public int Symptomatic { get; set; }

        public int Exposed { get; set; }

        public int Submissions { get; set; }
    }

    private sealed record TaskDraft(NewDeclaration First, long DeclarationId, Symptoms Symptoms, Exposures Exposures, DateTimeOffset DueAt);

    private const string PersonDayUpdate = """
        ON CONFLICT ("Definition", "Day", "PersonHash") DO UPDATE SET
            "Declarations" = "DeclarationPersonDays"."Declarations" + excluded."Declarations",
            "SymptomaticSource" = CASE WHEN "DeclarationPersonDays"."Symptomatic" THEN "DeclarationPersonDays"."SymptomaticSource" ELSE excluded."SymptomaticSource" END,
            "SymptomaticBatch" = CASE WHEN "DeclarationPersonDays"."Symptomatic" THEN "DeclarationPersonDays"."SymptomaticBatch" ELSE excluded."SymptomaticBatch" END,
            "Symptomatic" = "DeclarationPersonDays"."Symptomatic" OR excluded."Symptomatic",
            "ExposedBatch" = CASE WHEN "DeclarationPersonDays"."Exposed" THEN "DeclarationPersonDays"."ExposedBatch" ELSE excluded."ExposedBatch" END,
            "Exposed" = "DeclarationPersonDays"."Exposed" OR excluded."Exposed"
        RETURNING "Definition", "Day", "PersonHash", "Declarations", "WardCode", "DistrictCode", "Source", "SymptomaticSource", "SymptomaticBatch", "ExposedBatch"
        """;

    private const string PersonDayColumns = """
        INSERT INTO "DeclarationPersonDays" ("Definition", "Day", "PersonHash", "WardCode", "DistrictCode", "Source", "Declarations",
            "Symptomatic", "SymptomaticSource", "SymptomaticBatch", "Exposed", "ExposedBatch")
        """;

    private const string FigureColumns = """
        INSERT INTO "DeclarationDays" ("Definition", "Day", "WardCode", "Source", "DistrictCode", "People", "Symptomatic", "Exposed", "Submissions")
        """;

    private const string FigureUpdate = """
        ON CONFLICT ("Definition", "Day", "WardCode", "Source") DO UPDATE SET
            "People" = "DeclarationDays"."People" + excluded."People",
            "Symptomatic" = "DeclarationDays"."Symptomatic" + excluded."Symptomatic",
            "Exposed" = "DeclarationDays"."Exposed" + excluded."Exposed",
            "Submissions" = "DeclarationDays"."Submissions" + excluded."Submissions"
        """;

    private const string DeclarationColumns = """
        INSERT INTO "Declarations" ("Id", "QuestionnaireVersion", "At", "Day", "Version", "PersonHash", "Payload", "WardCode", "DistrictCode", "UnitPath",
            "Symptoms", "Exposures", "Source")
        """;

    private const string TaskColumns = """
        INSERT INTO "FollowUpTasks" ("PersonHash", "DeclarationId", "WardCode", "DistrictCode", "UnitPath", "Symptoms", "Exposures", "CreatedAt", "DueAt",
            "Status", "Attempts", "Revision")
        """;

    private const string TaskUpdate = """
        ON CONFLICT ("PersonHash") WHERE "Status" = 1 DO UPDATE SET
            "DeclarationId" = excluded."DeclarationId",
            "Symptoms" = "FollowUpTasks"."Symptoms" | excluded."Symptoms",
            "Exposures" = "FollowUpTasks"."Exposures" | excluded."Exposures",
            "Revision" = "FollowUpTasks"."Revision" + 1
        """;

    private static PersonDayRow ReadPersonDay(DbDataReader reader) => new(
        reader.GetInt32(3), reader.GetString(4), reader.GetString(5), reader.GetString(6),
        reader.IsDBNull(7) ? null : reader.GetString(7), reader.IsDBNull(8) ? null : reader.GetInt64(8), reader.IsDBNull(9) ? null : reader.GetInt64(9));

    /// <summary>The four steps, per database.</summary>
    private abstract class Store
    {
        public abstract Task<Dictionary<PersonDayKey, PersonDayRow>> UpsertPeopleAsync(SortedDictionary<PersonDayKey, PersonDayDraft> people, long batch, CancellationToken cancellationToken);

        public abstract Task AddFiguresAsync(SortedDictionary<FigureKey, FigureDraft> figures, CancellationToken cancellationToken);

        public abstract Task<long[]> InsertDeclarationsAsync(List<NewDeclaration> items, int[] versions, CancellationToken cancellationToken);

        public abstract Task UpsertTasksAsync(List<TaskDraft> tasks, CancellationToken cancellationToken);
    }

    /// <summary>SQLite: one prepared statement per row (a single writer holds the database; round trips cost nothing).</summary>
    private sealed class SqliteStore(SqliteConnection connection) : Store
    {
        private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

        private SqliteCommand Prepare(string sql, params (string Name, SqliteType Type)[] parameters)
        {
            var command = connection.CreateCommand();
            command.CommandText = sql;
            foreach (var (name, type) in parameters)
            {
                command.Parameters.Add(name, type);
            }

            command.Prepare();
            return command;
        }

        private static void Set(SqliteCommand command, params object?[] values)
        {
            for (var i = 0; i < values.Length; i++)
            {
                command.Parameters[i].Value = values[i] ?? DBNull.Value;
            }
        }

        public override async Task<Dictionary<PersonDayKey, PersonDayRow>> UpsertPeopleAsync(SortedDictionary<PersonDayKey, PersonDayDraft> people, long batch, CancellationToken cancellationToken)
        {
            await using var upsert = Prepare(PersonDayColumns + " VALUES ($def, $day, $hash, $ward, $district, $source, $n, $sym, $symSource, $symBatch, $exp, $expBatch) " + PersonDayUpdate,
                ("$def", SqliteType.Integer), ("$day", SqliteType.Text), ("$hash", SqliteType.Blob), ("$ward", SqliteType.Text), ("$district", SqliteType.Text),
                ("$source", SqliteType.Text), ("$n", SqliteType.Integer), ("$sym", SqliteType.Integer), ("$symSource", SqliteType.Text), ("$symBatch", SqliteType.Integer),
                ("$exp", SqliteType.Integer), ("$expBatch", SqliteType.Integer));
            var rows = new Dictionary<PersonDayKey, PersonDayRow>(people.Count);
            foreach (var (key, draft) in people)
            {
                var symptomatic = draft.SymptomaticSource is not null;
                Set(upsert, (int)key.Definition, Day(key.Day), draft.First.PersonHash, draft.First.Ward.Code, draft.First.Ward.DistrictCode, draft.First.Source,
                    draft.Items.Count, symptomatic, draft.SymptomaticSource, symptomatic ? batch : null, draft.Exposed, draft.Exposed ? batch : null);
                await using var reader = await upsert.ExecuteReaderAsync(cancellationToken);
                await reader.ReadAsync(cancellationToken);
                rows[key] = ReadPersonDay(reader);
            }

            return rows;
        }

        public override async Task AddFiguresAsync(SortedDictionary<FigureKey, FigureDraft> figures, CancellationToken cancellationToken)
        {
            await using var upsert = Prepare(FigureColumns + " VALUES ($def, $day, $ward, $source, $district, $people, $sym, $exp, $subs) " + FigureUpdate,
                ("$def", SqliteType.Integer), ("$day", SqliteType.Text), ("$ward", SqliteType.Text), ("$source", SqliteType.Text), ("$district", SqliteType.Text),
                ("$people", SqliteType.Integer), ("$sym", SqliteType.Integer), ("$exp", SqliteType.Integer), ("$subs", SqliteType.Integer));
            foreach (var (key, f) in figures)
            {
                Set(upsert, (int)key.Definition, Day(key.Day), key.WardCode, key.Source, f.DistrictCode, f.People, f.Symptomatic, f.Exposed, f.Submissions);
                await upsert.ExecuteNonQueryAsync(cancellationToken);
            }
        }

        public override async Task<long[]> InsertDeclarationsAsync(List<NewDeclaration> items, int[] versions, CancellationToken cancellationToken)
        {
            await using var insert = Prepare(DeclarationColumns + " VALUES (NULL, $qv, $at, $day, $version, $hash, $payload, $ward, $district, $path, $symptoms, $exposures, $source) RETURNING \"Id\"",
                ("$qv", SqliteType.Integer), ("$at", SqliteType.Integer), ("$day", SqliteType.Text), ("$version", SqliteType.Integer), ("$hash", SqliteType.Blob),
                ("$payload", SqliteType.Blob), ("$ward", SqliteType.Text), ("$district", SqliteType.Text), ("$path", SqliteType.Text), ("$symptoms", SqliteType.Integer),
                ("$exposures", SqliteType.Integer), ("$source", SqliteType.Text));
            var ids = new long[items.Count];
            for (var i = 0; i < items.Count; i++)
            {
                var d = items[i];
                Set(insert, d.QuestionnaireVersion, SqliteCitizenDb.StoredTime(d.At), Day(CityTime.DayOf(d.At)), versions[i], d.PersonHash, d.Payload,
                    d.Ward.Code, d.Ward.DistrictCode, d.Ward.UnitPath, (int)d.Symptoms, (int)d.Exposures, d.Source);
                ids[i] = (long)(await insert.ExecuteScalarAsync(cancellationToken))!;
            }

            return ids;
        }

        public override async Task UpsertTasksAsync(List<TaskDraft> tasks, CancellationToken cancellationToken)
        {
            await using var upsert = Prepare(TaskColumns + " VALUES ($hash, $declaration, $ward, $district, $path, $symptoms, $exposures, $created, $due, 1, 0, 0) " + TaskUpdate,
                ("$hash", SqliteType.Blob), ("$declaration", SqliteType.Integer), ("$ward", SqliteType.Text), ("$district", SqliteType.Text), ("$path", SqliteType.Text),
                ("$symptoms", SqliteType.Integer), ("$exposures", SqliteType.Integer), ("$created", SqliteType.Integer), ("$due", SqliteType.Integer));
            foreach (var t in tasks)
            {
                Set(upsert, t.First.PersonHash, t.DeclarationId, t.First.Ward.Code, t.First.Ward.DistrictCode, t.First.Ward.UnitPath, (int)t.Symptoms, (int)t.Exposures,
                    SqliteCitizenDb.StoredTime(t.First.At), SqliteCitizenDb.StoredTime(t.DueAt));
                await upsert.ExecuteNonQueryAsync(cancellationToken);
            }
        }
    }

    /// <summary>PostgreSQL: one statement per step, its rows passed as arrays (<c>unnest</c>).</summary>
    private sealed class PostgresStore(NpgsqlConnection connection) : Store
    {
        private static void Add<T>(NpgsqlCommand command, string name, NpgsqlDbType type, T[] values) =>
            command.Parameters.Add(new NpgsqlParameter<T[]>(name, NpgsqlDbType.Array | type) { TypedValue = values });

        public override async Task<Dictionary<PersonDayKey, PersonDayRow>> UpsertPeopleAsync(SortedDictionary<PersonDayKey, PersonDayDraft> people, long batch, CancellationToken cancellationToken)
        {
            await using var upsert = connection.CreateCommand();
            upsert.CommandText = PersonDayColumns + " SELECT * FROM unnest(@def, @day, @hash, @ward, @district, @source, @n, @sym, @symSource, @symBatch, @exp, @expBatch) " + PersonDayUpdate;
            var drafts = people.ToList();
            Add(upsert, "def", NpgsqlDbType.Smallint, [.. drafts.Select(p => (short)p.Key.Definition)]);
            Add(upsert, "day", NpgsqlDbType.Date, [.. drafts.Select(p => p.Key.Day)]);
            Add(upsert, "hash", NpgsqlDbType.Bytea, [.. drafts.Select(p => p.Value.First.PersonHash)]);
            Add(upsert, "ward", NpgsqlDbType.Varchar, [.. drafts.Select(p => p.Value.First.Ward.Code)]);
            Add(upsert, "district", NpgsqlDbType.Varchar, [.. drafts.Select(p => p.Value.First.Ward.DistrictCode)]);
            Add(upsert, "source", NpgsqlDbType.Varchar, [.. drafts.Select(p => p.Value.First.Source)]);
            Add(upsert, "n", NpgsqlDbType.Integer, [.. drafts.Select(p => p.Value.Items.Count)]);
            Add(upsert, "sym", NpgsqlDbType.Boolean, [.. drafts.Select(p => p.Value.SymptomaticSource is not null)]);
            Add(upsert, "symSource", NpgsqlDbType.Varchar, [.. drafts.Select(p => p.Value.SymptomaticSource)]);
            Add(upsert, "symBatch", NpgsqlDbType.Bigint, [.. drafts.Select(p => p.Value.SymptomaticSource is null ? (long?)null : batch)]);
            Add(upsert, "exp", NpgsqlDbType.Boolean, [.. drafts.Select(p => p.Value.Exposed)]);
            Add(upsert, "expBatch", NpgsqlDbType.Bigint, [.. drafts.Select(p => p.Value.Exposed ? batch : (long?)null)]);
            var rows = new Dictionary<PersonDayKey, PersonDayRow>(people.Count);
            await using var reader = await upsert.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var key = new PersonDayKey((ReportingDay)reader.GetInt16(0), reader.GetFieldValue<DateOnly>(1), Convert.ToHexString(reader.GetFieldValue<byte[]>(2)));
                rows[key] = ReadPersonDay(reader);
            }

            return rows;
        }

        public override async Task AddFiguresAsync(SortedDictionary<FigureKey, FigureDraft> figures, CancellationToken cancellationToken)
        {
            await using var upsert = connection.CreateCommand();
            upsert.CommandText = FigureColumns + " SELECT * FROM unnest(@def, @day, @ward, @source, @district, @people, @sym, @exp, @subs) " + FigureUpdate;
            var rows = figures.ToList();
            Add(upsert, "def", NpgsqlDbType.Smallint, [.. rows.Select(r => (short)r.Key.Definition)]);
            Add(upsert, "day", NpgsqlDbType.Date, [.. rows.Select(r => r.Key.Day)]);
            Add(upsert, "ward", NpgsqlDbType.Varchar, [.. rows.Select(r => r.Key.WardCode)]);
            Add(upsert, "source", NpgsqlDbType.Varchar, [.. rows.Select(r => r.Key.Source)]);
            Add(upsert, "district", NpgsqlDbType.Varchar, [.. rows.Select(r => r.Value.DistrictCode)]);
            Add(upsert, "people", NpgsqlDbType.Integer, [.. rows.Select(r => r.Value.People)]);
            Add(upsert, "sym", NpgsqlDbType.Integer, [.. rows.Select(r => r.Value.Symptomatic)]);
            Add(upsert, "exp", NpgsqlDbType.Integer, [.. rows.Select(r => r.Value.Exposed)]);
            Add(upsert, "subs", NpgsqlDbType.Integer, [.. rows.Select(r => r.Value.Submissions)]);
            await upsert.ExecuteNonQueryAsync(cancellationToken);
        }

        public override async Task<long[]> InsertDeclarationsAsync(List<NewDeclaration> items, int[] versions, CancellationToken cancellationToken)
        {
            // Ids drawn first, so that each declaration's id is known whatever order the rows are inserted in.
            var ids = new List<long>(items.Count);
            await using (var next = connection.CreateCommand())
            {
                next.CommandText = """SELECT nextval(pg_get_serial_sequence('"Declarations"', 'Id')) FROM generate_series(1, @n)""";
                next.Parameters.Add(new NpgsqlParameter<int>("n", items.Count));
                await using var reader = await next.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    ids.Add(reader.GetInt64(0));
                }
            }

            await using var insert = connection.CreateCommand();
            insert.CommandText = DeclarationColumns + " SELECT * FROM unnest(@id, @qv, @at, @day, @version, @hash, @payload, @ward, @district, @path, @symptoms, @exposures, @source)";
            Add(insert, "id", NpgsqlDbType.Bigint, ids.ToArray());
            Add(insert, "qv", NpgsqlDbType.Integer, [.. items.Select(d => d.QuestionnaireVersion)]);
            Add(insert, "at", NpgsqlDbType.TimestampTz, [.. items.Select(d => d.At.ToUniversalTime())]);
            Add(insert, "day", NpgsqlDbType.Date, [.. items.Select(d => CityTime.DayOf(d.At))]);
            Add(insert, "version", NpgsqlDbType.Integer, versions);
            Add(insert, "hash", NpgsqlDbType.Bytea, [.. items.Select(d => d.PersonHash)]);
            Add(insert, "payload", NpgsqlDbType.Bytea, [.. items.Select(d => d.Payload)]);
            Add(insert, "ward", NpgsqlDbType.Varchar, [.. items.Select(d => d.Ward.Code)]);
            Add(insert, "district", NpgsqlDbType.Varchar, [.. items.Select(d => d.Ward.DistrictCode)]);
            Add(insert, "path", NpgsqlDbType.Varchar, [.. items.Select(d => d.Ward.UnitPath)]);
            Add(insert, "symptoms", NpgsqlDbType.Integer, [.. items.Select(d => (int)d.Symptoms)]);
            Add(insert, "exposures", NpgsqlDbType.Integer, [.. items.Select(d => (int)d.Exposures)]);
            Add(insert, "source", NpgsqlDbType.Varchar, [.. items.Select(d => d.Source)]);
            await insert.ExecuteNonQueryAsync(cancellationToken);
            return [.. ids];
        }

        public override async Task UpsertTasksAsync(List<TaskDraft> tasks, CancellationToken cancellationToken)
        {
            if (tasks.Count == 0)
            {
                return;
            }

            await using var upsert = connection.CreateCommand();
            upsert.CommandText = TaskColumns + """
                 SELECT t.hash, t.declaration, t.ward, t.district, t.path, t.symptoms, t.exposures, t.created, t.due, 1, 0, 0
                FROM unnest(@hash, @declaration, @ward, @district, @path, @symptoms, @exposures, @created, @due)
                    AS t(hash, declaration, ward, district, path, symptoms, exposures, created, due)
                """ + " " + TaskUpdate;
            Add(upsert, "hash", NpgsqlDbType.Bytea, [.. tasks.Select(t => t.First.PersonHash)]);
            Add(upsert, "declaration", NpgsqlDbType.Bigint, [.. tasks.Select(t => t.DeclarationId)]);
            Add(upsert, "ward", NpgsqlDbType.Varchar, [.. tasks.Select(t => t.First.Ward.Code)]);
            Add(upsert, "district", NpgsqlDbType.Varchar, [.. tasks.Select(t => t.First.Ward.DistrictCode)]);
            Add(upsert, "path", NpgsqlDbType.Varchar, [.. tasks.Select(t => t.First.Ward.UnitPath)]);
            Add(upsert, "symptoms", NpgsqlDbType.Integer, [.. tasks.Select(t => (int)t.Symptoms)]);
            Add(upsert, "exposures", NpgsqlDbType.Integer, [.. tasks.Select(t => (int)t.Exposures)]);
            Add(upsert, "created", NpgsqlDbType.TimestampTz, [.. tasks.Select(t => t.First.At.ToUniversalTime())]);
            Add(upsert, "due", NpgsqlDbType.TimestampTz, [.. tasks.Select(t => t.DueAt.ToUniversalTime())]);
            await upsert.ExecuteNonQueryAsync(cancellationToken);
        }
    }
}
