using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using CitizenSensor.Data;
using CitizenSensor.Tests.Features.Declarations;
using CitizenSensor.Tests.Features.Venues;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace CitizenSensor.Tests.Infrastructure;

/// <summary>
/// No 5xx from any input (issue 14): every operation of the OpenAPI document that anonymous callers may use is sent
/// the catalogue of <see cref="MalformedInputs"/> on a real Kestrel server (so its body limit applies); each malformed
/// request gets a 4xx and leaves every table of the database with the rows it had. Open311 and the Messenger webhook
/// get the same in their own shapes (MalformedChannelInputTests).
/// </summary>
public sealed class MalformedInputCatalogueTests(MalformedInputCatalogueTests.CatalogueApp app) : IClassFixture<MalformedInputCatalogueTests.CatalogueApp>
{
    /// <summary>Public operations that answer 401 to a well-formed request with wrong credentials: signing in.</summary>
    private static readonly HashSet<string> PublicDespite401 = ["POST /api/v1/auth/tokens"];

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Every_public_operation_of_the_openapi_document_refuses_the_catalogue_and_stores_nothing()
    {
        var samples = await SamplesAsync();
        var document = await (await app.CreateClient().GetAsync("/openapi/v1.json", Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        var openApi = new OpenApiOperations(document);
        var cases = new List<(string Operation, MalformedCase Case)>();
        var publicOperations = new List<string>();
        foreach (var operation in openApi.All())
        {
            var sample = samples.GetValueOrDefault(operation.Key);
            if (!await IsPublicAsync(operation, sample))
            {
                continue;
            }

            publicOperations.Add(operation.Key);
            var before = cases.Count;
            cases.AddRange(OpenApiOperations.Cases(operation, sample).Select(c => (operation.Key, c)));
            TestContext.Current.TestOutputHelper?.WriteLine($"{operation.Key}: {cases.Count - before} cases (json: {operation.JsonFields?.Count}, form: {operation.FormFields?.Count})");
        }

        // The catalogue reached the public writes it exists for (a document that lost them would make this pass vacuously).
        Assert.Superset(new HashSet<string>(samples.Keys), new HashSet<string>(publicOperations));
        Assert.DoesNotContain(publicOperations, o => o.Contains("/staff", StringComparison.Ordinal));
        var failures = await new CatalogueRunner(app).RunAsync(cases);

        Assert.True(failures.Count == 0, $"{failures.Count} of {cases.Count} cases on {publicOperations.Count} operations failed:\n" + string.Join("\n", failures.Take(80)));
        // The samples the cases were built around are accepted, so each case tests the one thing it changes.
        foreach (var (key, sample) in samples)
        {
            var (method, path) = OpenApiOperations.Split(key);
            var response = await app.CreateClient().SendAsync(new HttpRequestMessage(method, path) { Content = JsonContent.Create(sample) }, Cancel);
            Assert.True(response.IsSuccessStatusCode, $"{key}: the sample got {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(Cancel)}");
        }
    }

    /// <summary>Bodies each public write accepts, keyed by operation; the catalogue changes one thing at a time in them.</summary>
    private async Task<Dictionary<string, JsonObject>> SamplesAsync()
    {
        var venue = await app.CreateClient().RegisterAsync();
        return new()
        {
            ["POST /api/v1/reports"] = new JsonObject { ["description"] = "Quán nhậu mở nhạc rất to cả đêm ở hẻm 12", ["address"] = "phường Bến Nghé, quận 1" },
            ["POST /api/v1/declarations"] = JsonSerializer.SerializeToNode(DeclarationClient.Valid())!.AsObject(),
            ["POST /api/v1/venues"] = JsonSerializer.SerializeToNode(VenueClient.NewVenue())!.AsObject(),
            ["POST /api/v1/checkins"] = new JsonObject { ["venueCode"] = venue.Str("code"), ["phone"] = VenueClient.NewPhone(), ["name"] = "Trần Thị Bình" },
            ["POST /api/v1/checkins/passes"] = new JsonObject { ["phone"] = VenueClient.NewPhone(), ["name"] = "Trần Thị Bình" },
        };
    }

    /// <summary>Public: a well-formed anonymous request is not answered 401 or 403.</summary>
    private async Task<bool> IsPublicAsync(OpenApiOperation operation, JsonObject? sample)
    {
        if (PublicDespite401.Contains(operation.Key))
        {
            return true;
        }

        using var request = new HttpRequestMessage(operation.Method, operation.Url());
        if (operation.HasBody)
        {
            request.Content = JsonContent.Create(sample ?? []);
        }

        var response = await app.CreateClient().SendAsync(request, Cancel);
        return response.StatusCode is not (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden);
    }

    /// <summary>The portal on Kestrel, with the Messenger channel on and the limits that would answer 429 lifted.</summary>
    public sealed class CatalogueApp : KestrelCitizenApp
    {
        public const string AppSecret = "catalogue-app-secret";

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Facebook:AppSecret", AppSecret);
            builder.UseSetting("Facebook:VerifyToken", "verify-1022");
            builder.UseSetting("Facebook:PageAccessToken", "PAGE-ACCESS-TOKEN");
            builder.UseSetting("Facebook:GraphApiBase", "http://127.0.0.1:9/v21.0");
            builder.UseSetting("Facebook:AllowPrivateNetworks", "true");
            builder.UseSetting("Reports:Nearby:PermitsPerMinute", "1000000");
            builder.UseSetting("Open311:PostsPerMinute", "1000000");
        }
    }
}

/// <summary>Sends cases and checks each answer and the rows of every table before and after.</summary>
internal sealed class CatalogueRunner(CitizenApp app)
{
    public async Task<List<string>> RunAsync(IEnumerable<(string Operation, MalformedCase Case)> cases)
    {
        var failures = new List<string>();
        var ordered = cases.OrderBy(c => c.Case.Expect == Expect.NoServerError).ToList(); // what may be stored goes last
        await SettleAsync();
        var client = app.CreateClient();
        foreach (var (operation, c) in ordered)
        {
            var before = c.Expect == Expect.NoServerError ? null : await CountsAsync();
            int status;
            string body;
            try
            {
                using var request = c.Build();
                using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
                status = (int)response.StatusCode;
                body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
            }
            catch (HttpRequestException e)
            {
                // Kestrel may close the connection on a body it will not read (413); that is a refusal, not a 5xx.
                (status, body) = (400, e.Message);
                client = app.CreateClient();
            }

            var answer = $"{operation} · {c.Name} → {status} {Shorten(body)}";
            if (status >= 500 || (c.Expect == Expect.Refused && status is < 400 or >= 500))
            {
                failures.Add(answer);
            }
            else if (before is not null && Changed(before, await CountsAsync()) is { Length: > 0 } tables)
            {
                failures.Add($"{answer}, but rows changed in {tables}");
                await SettleAsync();
            }
        }

        return failures;
    }

    private static string Shorten(string body) => body.Length > 160 ? body[..160] + "…" : body;

    private static string Changed(Dictionary<string, long> before, Dictionary<string, long> after) =>
        string.Join(", ", after.Where(t => before.GetValueOrDefault(t.Key) != t.Value).Select(t => $"{t.Key} {before.GetValueOrDefault(t.Key)}→{t.Value}"));

    /// <summary>Waits until background work (report processing, webhooks) has stopped adding rows.</summary>
    public async Task SettleAsync()
    {
        var last = await CountsAsync();
        for (var i = 0; i < 50; i++)
        {
            await Task.Delay(100, TestContext.Current.CancellationToken);
            var now = await CountsAsync();
            if (Changed(last, now).Length == 0)
            {
                return;
            }

            last = now;
        }
    }

    /// <summary>The number of rows in every table of the model.</summary>
    public async Task<Dictionary<string, long>> CountsAsync()
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CitizenDb>();
        var sql = db.GetService<ISqlGenerationHelper>();
        var tables = db.Model.GetEntityTypes().Where(e => e.GetTableName() is not null).Select(e => (Name: e.GetTableName()!, Schema: e.GetSchema())).Distinct();
        var counts = new Dictionary<string, long>();
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        foreach (var (name, schema) in tables)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = $"SELECT COUNT(*) FROM {sql.DelimitIdentifier(name, schema)}";
            counts[name] = Convert.ToInt64(await command.ExecuteScalarAsync(TestContext.Current.CancellationToken), System.Globalization.CultureInfo.InvariantCulture);
        }

        return counts;
    }
}
