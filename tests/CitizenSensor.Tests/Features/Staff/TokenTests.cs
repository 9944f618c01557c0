using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using CitizenSensor.Features.Staff;

namespace CitizenSensor.Tests.Features.Staff;

/// <summary>Personal API tokens: issue, use, list, revoke, expire.</summary>
public sealed class TokenTests(CitizenApp app) : IClassFixture<CitizenApp>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_token_carries_the_owners_roles_and_unit()
    {
        var (client, user) = await app.SignedInAsync(StaffRoles.UnitOfficer, "760");

        var me = await (await client.GetAsync("/api/v1/staff/me", Cancel)).ReadJsonAsync(HttpStatusCode.OK);

        Assert.Equal(user.Email, me.Str("email"));
        Assert.Equal([StaffRoles.UnitOfficer], me.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal("760", me.GetProperty("unit").Str("code"));
        Assert.Equal("Quận 1", me.GetProperty("unit").Str("name"));
    }

    [Fact]
    public async Task The_token_is_shown_once_and_only_its_hint_is_listed()
    {
        var user = await app.CreateStaffAsync(StaffRoles.CallAgent, "79");
        var created = await (await app.CreateClient().PostAsJsonAsync("/api/v1/auth/tokens", new { email = user.Email, password = CitizenApp.Password, name = "tổng đài app" }, Cancel))
            .ReadJsonAsync(HttpStatusCode.Created);
        var secret = created.Str("token");
        Assert.StartsWith("cs_", secret, StringComparison.Ordinal);

        var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        var list = await (await client.GetAsync("/api/v1/auth/tokens", Cancel)).ReadJsonAsync(HttpStatusCode.OK);

        var token = Assert.Single(list.EnumerateArray());
        Assert.Equal("tổng đài app", token.Str("name"));
        Assert.Equal(secret[..10], token.Str("hint"));
        Assert.DoesNotContain(secret, list.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Wrong_password_and_unknown_email_get_the_same_401()
    {
        var user = await app.CreateStaffAsync(StaffRoles.Viewer, "79");

        var wrong = await app.CreateClient().PostAsJsonAsync("/api/v1/auth/tokens", new { email = user.Email, password = "not-the-password" }, Cancel);
        var unknown = await app.CreateClient().PostAsJsonAsync("/api/v1/auth/tokens", new { email = "nobody@test.citizensensor.vn", password = "not-the-password" }, Cancel);

        var a = await wrong.ReadProblemAsync(HttpStatusCode.Unauthorized);
        var b = await unknown.ReadProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Equal(a.Str("detail"), b.Str("detail"));
    }

    [Fact]
    public async Task A_revoked_token_stops_working_at_once()
    {
        var (client, _) = await app.SignedInAsync(StaffRoles.HealthOfficer, "79");
        var id = (await (await client.GetAsync("/api/v1/auth/tokens", Cancel)).ReadJsonAsync(HttpStatusCode.OK))[0].Str("id");

        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/v1/auth/tokens/{id}", Cancel)).StatusCode);

        var after = await client.GetAsync("/api/v1/staff/me", Cancel);
        await after.ReadProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Equal("Bearer", after.Headers.WwwAuthenticate.Single().Scheme);
    }

    [Fact]
    public async Task A_token_expires_when_its_time_comes()
    {
        var user = await app.CreateStaffAsync(StaffRoles.Viewer, "79");
        var expiresAt = app.Time.GetUtcNow().AddHours(1);
        var created = await (await app.CreateClient().PostAsJsonAsync("/api/v1/auth/tokens", new { email = user.Email, password = CitizenApp.Password, expiresAt }, Cancel))
            .ReadJsonAsync(HttpStatusCode.Created);
        var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", created.Str("token"));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/staff/me", Cancel)).StatusCode);

        app.Time.Advance(TimeSpan.FromHours(2));

        await (await client.GetAsync("/api/v1/staff/me", Cancel)).ReadProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(400)]
    public async Task An_expiry_in_the_past_or_beyond_a_year_is_refused(int days)
    {
        var user = await app.CreateStaffAsync(StaffRoles.Viewer, "79");

        var response = await app.CreateClient().PostAsJsonAsync("/api/v1/auth/tokens", new { email = user.Email, password = CitizenApp.Password, expiresAt = app.Time.GetUtcNow().AddDays(days) }, Cancel);

        var problem = await response.ReadProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("expiresAt", out _));
    }

    [Fact]
    public async Task Someone_elses_token_is_not_found_but_an_admin_can_list_and_revoke_it()
    {
        var (owner, ownerUser) = await app.SignedInAsync(StaffRoles.UnitOfficer, "770");
        var (stranger, _) = await app.SignedInAsync(StaffRoles.UnitOfficer, "760");
        var (admin, _) = await app.SignedInAsync(StaffRoles.Admin, null);
        var id = (await (await owner.GetAsync("/api/v1/auth/tokens", Cancel)).ReadJsonAsync(HttpStatusCode.OK))[0].Str("id");

        await (await stranger.DeleteAsync($"/api/v1/auth/tokens/{id}", Cancel)).ReadProblemAsync(HttpStatusCode.NotFound);
        await (await stranger.GetAsync($"/api/v1/auth/tokens?owner={ownerUser.Email}", Cancel)).ReadProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal(HttpStatusCode.OK, (await owner.GetAsync("/api/v1/staff/me", Cancel)).StatusCode);

        var listed = await (await admin.GetAsync($"/api/v1/auth/tokens?owner={ownerUser.Email}", Cancel)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(id, Assert.Single(listed.EnumerateArray()).Str("id"));
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/v1/auth/tokens/{id}", Cancel)).StatusCode);
        await (await owner.GetAsync("/api/v1/staff/me", Cancel)).ReadProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Theory]
    [InlineData("Bearer cs_forged-token-that-was-never-issued")]
    [InlineData("Bearer eyJhbGciOiJub25lIn0.e30.")]
    [InlineData("Bearer ")]
    public async Task Forged_tokens_are_refused(string header)
    {
        var client = app.CreateClient();
        client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", header);

        await (await client.GetAsync("/api/v1/staff/me", Cancel)).ReadProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Staff_endpoints_without_credentials_are_401_problems_not_login_redirects()
    {
        var response = await app.CreateClient(new() { AllowAutoRedirect = false }).GetAsync("/api/v1/staff/me", Cancel);

        await response.ReadProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Five_wrong_passwords_lock_password_sign_in_with_the_same_answer_but_leave_the_accounts_tokens_working()
    {
        var user = await app.CreateStaffAsync(StaffRoles.CallAgent, "79");
        var before = await (await app.CreateClient().PostAsJsonAsync("/api/v1/auth/tokens", new { email = user.Email, password = CitizenApp.Password }, Cancel))
            .ReadJsonAsync(HttpStatusCode.Created);
        var unknown = await (await app.CreateClient().PostAsJsonAsync("/api/v1/auth/tokens", new { email = "nobody@test.citizensensor.vn", password = "guess-wrong" }, Cancel))
            .ReadProblemAsync(HttpStatusCode.Unauthorized);
        for (var i = 0; i < 5; i++)
        {
            var wrong = await app.CreateClient().PostAsJsonAsync("/api/v1/auth/tokens", new { email = user.Email, password = $"guess-{i}-wrong" }, Cancel);
            Assert.Equal(unknown.Str("detail"), (await wrong.ReadProblemAsync(HttpStatusCode.Unauthorized)).Str("detail"));
        }

        // Locked: the right password gets the very answer an unknown address gets.
        var right = await app.CreateClient().PostAsJsonAsync("/api/v1/auth/tokens", new { email = user.Email, password = CitizenApp.Password }, Cancel);
        Assert.Equal(unknown.Str("detail"), (await right.ReadProblemAsync(HttpStatusCode.Unauthorized)).Str("detail"));

        // Someone else's guesses do not switch off the account's integrations.
        var integration = app.CreateClient();
        integration.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", before.Str("token"));
        Assert.Equal(HttpStatusCode.OK, (await integration.GetAsync("/api/v1/staff/me", Cancel)).StatusCode);
    }

    [Theory]
    [InlineData("{\"email\": \"a@b.vn\", \"password\": ", "JSON")]
    [InlineData("{\"email\": 42, \"password\": \"x\"}", "JSON")]
    [InlineData("[1, 2, 3]", "JSON")]
    public async Task Malformed_bodies_are_400_problems_that_say_what_is_wrong(string body, string mention)
    {
        using var content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        var response = await app.CreateClient().PostAsync("/api/v1/auth/tokens", content, Cancel);

        var problem = await response.ReadProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains(mention, problem.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Missing_and_invalid_fields_are_listed_by_name()
    {
        var response = await app.CreateClient().PostAsJsonAsync("/api/v1/auth/tokens", new { email = "not-an-email", password = "" }, Cancel);

        var problem = await response.ReadProblemAsync(HttpStatusCode.BadRequest);
        var errors = problem.GetProperty("errors");
        Assert.True(errors.TryGetProperty("Email", out _) || errors.TryGetProperty("email", out _), errors.GetRawText());
        Assert.True(errors.TryGetProperty("Password", out _) || errors.TryGetProperty("password", out _), errors.GetRawText());
    }
}
