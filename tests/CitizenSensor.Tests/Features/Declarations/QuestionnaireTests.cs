using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CitizenSensor.Features.Staff;

namespace CitizenSensor.Tests.Features.Declarations;

/// <summary>The questionnaire as data: the default, FHIR export, Admin's versions and what an edit must keep.</summary>
public sealed class QuestionnaireTests(CitizenApp app) : IClassFixture<CitizenApp>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static readonly string[] BuiltIns = ["fullName", "birthYear", "gender", "phone", "citizenId", "wardCode", "address", "placesVisited", "symptoms", "exposures", "chronicConditions"];

    private static List<object> Edited(JsonElement current, params object[] added)
    {
        var questions = current.GetProperty("questions").EnumerateArray().Select(q => (object)JsonSerializer.Deserialize<Dictionary<string, object?>>(q.GetRawText())!).ToList();
        questions.AddRange(added);
        return questions;
    }

    [Fact]
    public async Task The_default_questionnaire_is_served_in_both_languages_and_as_FHIR()
    {
        var client = app.CreateClient();
        // By version: the other test of this class saves version 2.
        var current = await (await client.GetAsync("/api/v1/questionnaire/1", Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(1, current.GetProperty("version").GetInt32());
        Assert.Equal(BuiltIns, current.GetProperty("questions").EnumerateArray().Select(q => q.Str("id")));
        var symptoms = current.GetProperty("questions")[8];
        Assert.Equal(["fever", "cough", "breathing-difficulty", "sore-throat", "fatigue", "loss-of-taste-smell", "other"],
            symptoms.GetProperty("options").EnumerateArray().Select(o => o.Str("code")));
        Assert.Equal("Ho", symptoms.GetProperty("options")[1].GetProperty("text").Str("vi"));
        Assert.Equal("Cough", symptoms.GetProperty("options")[1].GetProperty("text").Str("en"));

        var response = await client.GetAsync("/api/v1/questionnaire/1/fhir", Cancel);
        Assert.Equal("application/fhir+json", response.Content.Headers.ContentType?.MediaType);
        var fhir = await response.ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal("Questionnaire", fhir.Str("resourceType"));
        Assert.Equal("active", fhir.Str("status"));
        Assert.Equal("1", fhir.Str("version"));
        Assert.EndsWith("/fhir/Questionnaire/health-declaration", fhir.Str("url"), StringComparison.Ordinal);
        var items = fhir.GetProperty("item").EnumerateArray().ToList();
        Assert.Equal(BuiltIns, items.Select(i => i.Str("linkId")));
        Assert.Equal("integer", items[1].Str("type"));
        Assert.Equal("choice", items[8].Str("type"));
        Assert.True(items[8].GetProperty("repeats").GetBoolean());
        Assert.Equal("cough", items[8].GetProperty("answerOption")[1].GetProperty("valueCoding").Str("code"));
        Assert.Equal("group", items[7].Str("type"));
        Assert.Equal("placesVisited.date", items[7].GetProperty("item")[1].Str("linkId"));
        var translation = items[0].GetProperty("_text").GetProperty("extension")[0];
        Assert.Equal("http://hl7.org/fhir/StructureDefinition/translation", translation.Str("url"));
        Assert.Equal("Full name", translation.GetProperty("extension")[1].Str("valueString"));
        Assert.True(items[0].GetProperty("required").GetBoolean());
        Assert.False(items[4].GetProperty("required").GetBoolean());
    }

    [Fact]
    public async Task Admin_saves_new_versions_that_keep_the_built_in_questions()
    {
        var (admin, _) = await app.SignedInAsync(StaffRoles.Admin, null);
        var current = await (await admin.GetAsync("/api/v1/questionnaire", Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        var title = new { vi = "Tờ khai y tế", en = "Health declaration" };
        var vaccinated = new
        {
            id = "vaccineDoses",
            type = "choice",
            required = true,
            text = new { vi = "Số mũi vắc-xin đã tiêm", en = "Vaccine doses received" },
            options = new[] { new { code = "none", text = new { vi = "Chưa tiêm", en = "None" } }, new { code = "one", text = new { vi = "1 mũi", en = "One" } }, new { code = "two", text = new { vi = "2 mũi", en = "Two" } } },
        };

        // Not for other roles.
        var (health, _) = await app.SignedInAsync(StaffRoles.HealthOfficer, "01");
        Assert.Equal(HttpStatusCode.Forbidden, (await health.PutAsJsonAsync("/api/v1/questionnaire", new { title, questions = Edited(current, vaccinated) }, Cancel)).StatusCode);

        // What an edit must keep, each named.
        async Task<JsonElement> Refused(object body) => (await (await admin.PutAsJsonAsync("/api/v1/questionnaire", body, Cancel)).ReadProblemAsync(HttpStatusCode.BadRequest)).GetProperty("errors");
        var withoutPhone = Edited(current).Where((_, i) => i != 3).ToList();
        Assert.Contains("'phone' cannot be removed", (await Refused(new { title, questions = withoutPhone })).GetProperty("questions")[0].GetString(), StringComparison.Ordinal);
        var phoneOptional = Edited(current);
        phoneOptional[3] = new { id = "phone", type = "phone", required = false, text = new { vi = "Điện thoại", en = "Phone" } };
        Assert.True((await Refused(new { title, questions = phoneOptional })).TryGetProperty("questions[3].required", out _));
        var retyped = Edited(current);
        retyped[1] = new { id = "birthYear", type = "string", required = true, text = new { vi = "Năm sinh", en = "Year of birth" } };
        Assert.True((await Refused(new { title, questions = retyped })).TryGetProperty("questions[1].type", out _));
        var errors = await Refused(new
        {
            title = new { vi = "Tờ khai", en = "" },
            questions = Edited(current,
                new { id = "phone", type = "string", required = false, text = new { vi = "Lại", en = "Again" } },
                new { id = "pet", type = "picture", required = false, text = new { vi = "Thú cưng", en = "Pet" } },
                new { id = "mood", type = "choice", required = false, text = new { vi = "Tâm trạng", en = "Mood" }, options = new[] { new { code = "ok", text = new { vi = "Ổn", en = "OK" } } } },
                new { id = "note", type = "text", required = false, text = new { vi = "<script>alert(1)</script>", en = "Note" } }),
        });
        Assert.True(errors.TryGetProperty("title", out _));
        Assert.Contains("used twice", errors.GetProperty("questions[11].id")[0].GetString(), StringComparison.Ordinal);
        Assert.True(errors.TryGetProperty("questions[12].type", out _));
        Assert.True(errors.TryGetProperty("questions[13].options", out _));
        Assert.Contains("markup", errors.GetProperty("questions[14].text")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(1, (await (await admin.GetAsync("/api/v1/questionnaire", Cancel)).ReadJsonAsync(HttpStatusCode.OK)).GetProperty("version").GetInt32());

        // A good edit: the wording of a built-in question changes, questions of every type are added; version 2.
        var questions = Edited(current, vaccinated,
            new { id = "household", type = "integer", required = false, text = new { vi = "Số người trong hộ", en = "People in the household" } },
            new { id = "isolating", type = "boolean", required = false, text = new { vi = "Đang cách ly tại nhà", en = "Isolating at home" } },
            new { id = "lastTest", type = "date", required = false, text = new { vi = "Ngày xét nghiệm gần nhất", en = "Date of the last test" } },
            new
            {
                id = "needs",
                type = "multi-choice",
                required = false,
                text = new { vi = "Cần hỗ trợ", en = "Needs" },
                options = new[] { new { code = "food", text = new { vi = "Lương thực", en = "Food" } }, new { code = "medicine", text = new { vi = "Thuốc", en = "Medicine" } } }
            },
            new { id = "remarks", type = "string", required = false, text = new { vi = "Ghi chú", en = "Remarks" } });
        questions[6] = new { id = "address", type = "string", required = true, text = new { vi = "Địa chỉ nơi ở hiện tại", en = "Current address" } };
        var saved = await (await admin.PutAsJsonAsync("/api/v1/questionnaire", new { title, questions }, Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(2, saved.GetProperty("version").GetInt32());
        var now = await (await app.CreateClient().GetAsync("/api/v1/questionnaire", Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(2, now.GetProperty("version").GetInt32());
        Assert.Equal("Current address", now.GetProperty("questions")[6].GetProperty("text").Str("en"));
        Assert.Equal("vaccineDoses", now.GetProperty("questions")[11].Str("id"));
        Assert.False(now.GetProperty("questions")[11].GetProperty("builtIn").GetBoolean());
        var v1 = await (await app.CreateClient().GetAsync("/api/v1/questionnaire/1", Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal("Address (house number, street)", v1.GetProperty("questions")[6].GetProperty("text").Str("en"));
        var fhir = await (await app.CreateClient().GetAsync("/api/v1/questionnaire/2/fhir", Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal("two", fhir.GetProperty("item")[11].GetProperty("answerOption")[2].GetProperty("valueCoding").Str("code"));
        Assert.Equal(HttpStatusCode.NotFound, (await app.CreateClient().GetAsync("/api/v1/questionnaire/9", Cancel)).StatusCode);

        // Declarations now answer the added question, in 'answers'.
        var client = app.CreateClient();
        var missing = await (await client.DeclareAsync(DeclarationClient.Valid(), "en")).ReadProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal("Required: Vaccine doses received.", missing.GetProperty("errors").GetProperty("answers.vaccineDoses")[0].GetString());
        var body = DeclarationClient.Valid();
        body["answers"] = new Dictionary<string, object> { ["vaccineDoses"] = "three", ["shoeSize"] = 42 };
        var wrong = (await (await client.DeclareAsync(body, "vi")).ReadProblemAsync(HttpStatusCode.BadRequest)).GetProperty("errors");
        Assert.Contains("không có lựa chọn \"three\"", wrong.GetProperty("answers.vaccineDoses")[0].GetString(), StringComparison.Ordinal);
        Assert.Contains("shoeSize", wrong.GetProperty("answers.shoeSize")[0].GetString(), StringComparison.Ordinal);
        // Each added question's answer is checked against its type, in the requester's language.
        body["answers"] = new Dictionary<string, object>
        {
            ["vaccineDoses"] = "two",
            ["household"] = "four",
            ["isolating"] = "yes",
            ["lastTest"] = app.Time.GetUtcNow().AddDays(3).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            ["needs"] = new[] { "food", "money" },
            ["remarks"] = "<script>alert(1)</script>",
        };
        var typed = (await (await client.DeclareAsync(body, "en")).ReadProblemAsync(HttpStatusCode.BadRequest)).GetProperty("errors");
        Assert.Equal("People in the household: a whole number.", typed.GetProperty("answers.household")[0].GetString());
        Assert.Equal("Isolating at home: yes (true) or no (false).", typed.GetProperty("answers.isolating")[0].GetString());
        Assert.Contains("is in the future", typed.GetProperty("answers.lastTest")[0].GetString(), StringComparison.Ordinal);
        Assert.Contains("there is no option \"money\"", typed.GetProperty("answers.needs")[0].GetString(), StringComparison.Ordinal);
        Assert.Contains("markup", typed.GetProperty("answers.remarks")[0].GetString(), StringComparison.Ordinal);
        Assert.False(typed.TryGetProperty("answers.vaccineDoses", out _));
        body["answers"] = new Dictionary<string, object> { ["needs"] = "food" };
        Assert.Equal("Needs: a list of option codes.",
            (await (await client.DeclareAsync(body, "en")).ReadProblemAsync(HttpStatusCode.BadRequest)).GetProperty("errors").GetProperty("answers.needs")[0].GetString());

        body["answers"] = new Dictionary<string, object> { ["vaccineDoses"] = "two", ["household"] = 4, ["isolating"] = true, ["needs"] = new[] { "medicine" } };
        var declared = await client.DeclaredAsync(body);
        var read = await (await health.GetAsync($"/api/v1/declarations/{declared.GetProperty("id").GetInt64()}/fhir?reason=checking the export", Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.EndsWith("|2", read.Str("questionnaire"), StringComparison.Ordinal);
        var answer = read.GetProperty("item").EnumerateArray().Single(i => i.Str("linkId") == "vaccineDoses").GetProperty("answer")[0];
        Assert.Equal("two", answer.GetProperty("valueCoding").Str("code"));
        Assert.Equal(4, read.GetProperty("item").EnumerateArray().Single(i => i.Str("linkId") == "household").GetProperty("answer")[0].GetProperty("valueInteger").GetInt32());
        Assert.True(read.GetProperty("item").EnumerateArray().Single(i => i.Str("linkId") == "isolating").GetProperty("answer")[0].GetProperty("valueBoolean").GetBoolean());
        Assert.Equal("medicine", read.GetProperty("item").EnumerateArray().Single(i => i.Str("linkId") == "needs").GetProperty("answer")[0].GetProperty("valueCoding").Str("code"));

        var audit = await (await admin.GetAsync("/api/v1/staff/audit?entityType=questionnaire", Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Contains(audit.EnumerateArray(), a => a.Str("action") == "save-questionnaire" && a.Str("entityId") == "2");
    }
}
