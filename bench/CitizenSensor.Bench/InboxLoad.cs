using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using CitizenSensor.Data;
using CitizenSensor.Features.Reports;
using CitizenSensor.Features.Reports.Inbox;

namespace CitizenSensor.Bench;

/// <summary>
/// The staff inbox over a city's worth of reports. <c>--seed</c> first writes <c>--reports</c> reports (default
/// 1,000,000) straight into the database of a migrated portal: Hồ Chí Minh City's wards, a year of submissions, a mix
/// of statuses, channels and categories, descriptions and addresses in Vietnamese, the folded search text the portal
/// keeps. Then it asks the running portal, as a staff member, for the inbox's queries: the first page, a filtered page,
/// searches, page 50 by cursor, and exports of about 100,000 rows, and prints their wall times.
/// <c>inbox --url http://127.0.0.1:5080 --db "sqlite:Data Source=/tmp/cs.db" --email E --password P --seed</c>
/// </summary>
public static class InboxLoad
{
    private static readonly string[] Templates =
    [
        "Quán karaoke {0} mở nhạc to quá 22 giờ, hàng xóm không ngủ được",
        "Rác thải đổ bừa bãi trên vỉa hè gần chợ, bốc mùi hôi thối",
        "Quán cà phê cho khách ngồi tại chỗ, không đeo khẩu trang, không quét mã QR",
        "Xe máy đậu lấn chiếm lòng đường trước cửa hàng, gây kẹt xe giờ cao điểm",
        "Công trình xây dựng làm việc ban đêm gây ồn, bụi bay sang nhà dân",
        "Đèn đường hỏng nhiều ngày, hẻm tối, người dân lo ngại an ninh",
        "Nước thải chảy tràn ra đường, ngập sau mỗi trận mưa",
        "Tiệm tóc vẫn mở cửa phục vụ khách trong thời gian giãn cách",
    ];

    private static readonly string[] Streets = ["Quang Trung", "Nguyễn Oanh", "Lê Lợi", "Nguyễn Huệ", "Phan Văn Trị", "Lê Đức Thọ", "Cách Mạng Tháng Tám", "Võ Văn Tần"];

    private static readonly (ReportStatus Status, int Weight)[] Statuses =
        [(ReportStatus.NeedsTriage, 5), (ReportStatus.Routed, 10), (ReportStatus.InProgress, 15), (ReportStatus.Resolved, 60), (ReportStatus.Rejected, 10)];

    private static readonly string[] Columns = ["id", "code", "description", "address", "lat", "lng", "category", "status", "unit", "path", "ward", "channel", "submitted", "routed", "due", "search", "triage"];

    private static readonly string[] Channels = [ReportChannels.Web, ReportChannels.App, ReportChannels.Phone, ReportChannels.Email, ReportChannels.Facebook, ReportChannels.Open311];

    public static async Task<int> RunAsync(string[] args)
    {
        var baseUrl = new Uri(CommandLine.Option(args, "--url") ?? "http://127.0.0.1:5080");
        var db = CommandLine.Option(args, "--db");
        var runs = int.Parse(CommandLine.Option(args, "--runs") ?? "20", CultureInfo.InvariantCulture);
        if (!baseUrl.IsLoopback || db is null || runs is < 1 or > 1000)
        {
            await Console.Error.WriteLineAsync("inbox: loopback only; --db sqlite:CONN|postgres:CONN is required, --runs 1..1000.");
            return 2;
        }

        if (args.Contains("--seed"))
        {
            var count = int.Parse(CommandLine.Option(args, "--reports") ?? "1000000", CultureInfo.InvariantCulture);
            var clock = Stopwatch.StartNew();
            await SeedAsync(db, count);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"seeded {count:N0} reports in {clock.Elapsed.TotalSeconds:0} s"));
        }

        using var http = await FiguresTiming.StaffClientAsync(baseUrl, args);
        await FiguresTiming.TimeAsync(http, "/api/v1/staff/reports?limit=50", runs);
        await FiguresTiming.TimeAsync(http, "/api/v1/staff/reports?unit=764&status=in-progress&channel=phone&limit=50", runs);
        await FiguresTiming.TimeAsync(http, "/api/v1/staff/reports?show=overdue&limit=50", runs);
        await FiguresTiming.TimeAsync(http, "/api/v1/staff/reports?q=karaoke+go+vap&limit=50", runs);
        await FiguresTiming.TimeAsync(http, "/api/v1/staff/reports?q=den+duong+hong&unit=760&limit=50", runs);
        // Rare words: a few reports hold them, or none; without the trigram index these walk every report in scope.
        await FiguresTiming.TimeAsync(http, "/api/v1/staff/reports?q=777+ben+nghe&limit=50", runs);
        await FiguresTiming.TimeAsync(http, "/api/v1/staff/reports?q=khong+co+tu+nay&limit=50", runs);
        var code = (await FiguresTiming.TimeAsync(http, "/api/v1/staff/reports?status=rejected&limit=1", 1))[0].GetProperty("code").GetString()!;
        await FiguresTiming.TimeAsync(http, $"/api/v1/staff/reports?q={code}&limit=50", runs);
        await FiguresTiming.TimeAsync(http, await Page50Async(http), runs);
        await TimeExportAsync(http, "/api/v1/staff/reports/export?format=csv&status=routed");
        await TimeExportAsync(http, "/api/v1/staff/reports/export?format=xlsx&status=routed");
        return 0;
    }

    /// <summary>Walks 49 pages of 50 by their Link headers and returns the 50th page's address.</summary>
    private static async Task<string> Page50Async(HttpClient http)
    {
        var url = "/api/v1/staff/reports?limit=50";
        for (var page = 1; page < 50; page++)
        {
            using var response = await http.GetAsync(url);
            response.EnsureSuccessStatusCode();
            var link = response.Headers.GetValues("Link").Single();
            url = link[1..link.IndexOf('>', StringComparison.Ordinal)];
        }

        return url;
    }

    private static async Task TimeExportAsync(HttpClient http, string url)
    {
        var watch = Stopwatch.StartNew();
        using var response = await http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        await using var body = await response.Content.ReadAsStreamAsync();
        var first = -1.0;
        var bytes = 0L;
        var lines = 0L;
        var buffer = new byte[81920];
        int read;
        while ((read = await body.ReadAsync(buffer)) > 0)
        {
            first = first < 0 ? watch.Elapsed.TotalMilliseconds : first;
            bytes += read;
            lines += buffer.AsSpan(0, read).Count((byte)'\n');
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"GET {url}: {bytes / 1024.0 / 1024.0:0.0} MB{(url.Contains("csv", StringComparison.Ordinal) ? $", {lines - 1:N0} rows" : "")}, first bytes after {first:0} ms, all in {watch.Elapsed.TotalMilliseconds:0} ms"));
    }

    private sealed record Ward(string Code, string Name, string District, string DistrictName, string DistrictPath);

    private static async Task SeedAsync(string db, int count)
    {
        var random = new Random(1022);
        await using var connection = CheckInLoad.Open(db);
        var postgres = !db.StartsWith("sqlite:", StringComparison.Ordinal);
        var wards = await WardsAsync(connection);
        var categories = await CategoriesAsync(connection);
        var end = new DateTimeOffset(2021, 9, 23, 0, 0, 0, TimeSpan.Zero);
        var totalWeight = Statuses.Sum(s => s.Weight);
        const int Batch = 10_000;
        for (var done = 0; done < count; done += Batch)
        {
            await using var transaction = await connection.BeginTransactionAsync();
            await using var insert = connection.CreateCommand();
            insert.Transaction = transaction;
            insert.CommandText = """
                INSERT INTO "Reports" ("Id", "Code", "Description", "Address", "Latitude", "Longitude", "CategoryCode", "Status", "UnitCode", "UnitPath", "WardCode",
                  "Channel", "Anonymous", "SubmittedAt", "RoutedAt", "DueAt", "BusinessSuspended", "Version", "ProcessingAttempts", "SearchText", "TriageReason")
                VALUES (@id, @code, @description, @address, @lat, @lng, @category, @status, @unit, @path, @ward, @channel, FALSE, @submitted, @routed, @due, FALSE, 0, 0, @search, @triage)
                """;
            var parameters = Columns.ToDictionary(name => name, name =>
                {
                    var parameter = insert.CreateParameter();
                    parameter.ParameterName = "@" + name;
                    insert.Parameters.Add(parameter);
                    return parameter;
                });
            for (var i = done; i < Math.Min(count, done + Batch); i++)
            {
                var ward = wards[random.Next(wards.Count)];
                var status = Pick(random.Next(totalWeight));
                var placed = status != ReportStatus.NeedsTriage;
                var submitted = end.AddSeconds(-random.Next(365 * 24 * 3600));
                var report = new Report
                {
                    Code = Report.NewCode(),
                    Description = string.Format(CultureInfo.InvariantCulture, Templates[random.Next(Templates.Length)], ward.Name) + $" (số {random.Next(1, 999)})",
                    Address = $"{random.Next(1, 400)} đường {Streets[random.Next(Streets.Length)]}, {ward.Name}, {ward.DistrictName}",
                    Channel = Channels[random.Next(Channels.Length)],
                };
                DateTimeOffset? due = placed ? submitted.AddHours(random.Next(4, 72)) : null;
                object Time(DateTimeOffset? t) => t is { } v ? postgres ? v.ToUniversalTime() : SqliteCitizenDb.StoredTime(v) : DBNull.Value;
                parameters["id"].Value = postgres ? Guid.NewGuid() : Guid.NewGuid().ToString().ToUpperInvariant();
                parameters["code"].Value = report.Code;
                parameters["description"].Value = report.Description;
                parameters["address"].Value = report.Address;
                parameters["lat"].Value = 10.75 + (random.NextDouble() * 0.12);
                parameters["lng"].Value = 106.62 + (random.NextDouble() * 0.12);
                parameters["category"].Value = categories[random.Next(categories.Count)];
                parameters["status"].Value = status.ToString();
                parameters["unit"].Value = placed ? ward.District : DBNull.Value;
                parameters["path"].Value = placed ? ward.DistrictPath : "/79/";
                parameters["ward"].Value = placed ? ward.Code : DBNull.Value;
                parameters["channel"].Value = report.Channel;
                parameters["submitted"].Value = Time(submitted);
                parameters["routed"].Value = Time(placed ? submitted.AddMinutes(5) : null);
                parameters["due"].Value = Time(due);
                parameters["search"].Value = ReportSearch.Folded(report);
                parameters["triage"].Value = placed ? DBNull.Value : TriageReasons.NoLocation();
                if (i == done)
                {
                    await insert.PrepareAsync(); // once the values give Npgsql the parameters' types
                }

                await insert.ExecuteNonQueryAsync();
            }

            await transaction.CommitAsync();
        }

        await using var analyze = connection.CreateCommand();
        analyze.CommandText = postgres ? """ANALYZE "Reports" """ : "ANALYZE";
        await analyze.ExecuteNonQueryAsync();
    }

    private static ReportStatus Pick(int roll)
    {
        foreach (var (status, weight) in Statuses)
        {
            if (roll < weight)
            {
                return status;
            }

            roll -= weight;
        }

        return ReportStatus.Resolved;
    }

    private static async Task<List<Ward>> WardsAsync(DbConnection connection)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT w."Code", w."Name", d."Code", d."Name", d."UnitPath" FROM "Units" w JOIN "Units" d ON d."Code" = w."ParentCode"
            WHERE d."ParentCode" = '79' ORDER BY w."Code"
            """;
        await using var reader = await command.ExecuteReaderAsync();
        var wards = new List<Ward>();
        while (await reader.ReadAsync())
        {
            wards.Add(new Ward(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4)));
        }

        return wards.Count > 0 ? wards : throw new InvalidOperationException("No wards of Hồ Chí Minh City: start the portal once on this database first.");
    }

    private static async Task<List<string>> CategoriesAsync(DbConnection connection)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = """SELECT "Code" FROM "Categories" ORDER BY "Code" """;
        await using var reader = await command.ExecuteReaderAsync();
        var codes = new List<string>();
        while (await reader.ReadAsync())
        {
            codes.Add(reader.GetString(0));
        }

        return codes;
    }
}
