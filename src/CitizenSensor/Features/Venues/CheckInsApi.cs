using System.Security.Claims;
using CitizenSensor.Data;
using CitizenSensor.Features.Audit;
using CitizenSensor.Features.Staff;
using CitizenSensor.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace CitizenSensor.Features.Venues;

/// <summary>A check-in: the person by <c>phone</c> (and optional <c>name</c>), or by the <c>pass</c> from their personal QR (venue staff, with the venue's key).</summary>
/// <summary>A check-in: a phone (with an optional name, and an optional e-mail for health notices), or a scanned personal QR.</summary>
public sealed record CheckInRequest(string? VenueCode, string? Phone, string? Name, DateTimeOffset? At, DateTimeOffset? CheckOutAt, string? Pass = null, string? Email = null);

/// <summary>A recorded check-in. <paramref name="Receipt"/> is what the device keeps to check out (<see cref="CheckOuts"/>).</summary>
public sealed record CheckInAccepted(string VenueCode, string VenueName, DateTimeOffset At, bool Duplicate, string? Receipt = null);

public sealed record CheckInBatch(List<CheckInRequest>? Items);

public sealed record BatchItemResult(int Index, string Status, IDictionary<string, string[]>? Errors);

public sealed record BatchOutcome(int Accepted, int Duplicates, int Rejected, IReadOnlyList<BatchItemResult> Results);

public sealed record CheckOutRequest(string? VenueCode, string? Phone, string? Receipt, DateTimeOffset? At);

public sealed record PassRequest(string? Phone, string? Name);

public sealed record IssuedPass(string Pass, DateTimeOffset ExpiresAt);

public sealed record PersonCheckIn(string VenueCode, string VenueName, string VenueAddress, string WardCode, DateTimeOffset At, DateTimeOffset? CheckOutAt, string? Name, string Source);

/// <summary>
/// Check-ins: one at a time (the resident's page, apps) or up to <see cref="MaxBatch"/> at once (scanners that were
/// offline). Acknowledged only once committed (<see cref="CheckInWriter"/>). The same person at the same venue within
/// a minute counts once. Look-ups by phone are for health officers, audited.
/// </summary>
public static class CheckInsApi
{
    public const int MaxBatch = 1000;
    public const int MaxName = 100;
    private static readonly string[] Tracers = [StaffRoles.Admin, StaffRoles.HealthOfficer];

    public static IEndpointRouteBuilder MapCheckInsApi(this IEndpointRouteBuilder routes)
    {
        var open = routes.MapGroup("/api/v1/checkins").WithTags("Check-ins");
        // The desk checks every field itself; the framework's validation walk (per item of a batch) would only add cost.
        open.MapPost("/", CheckInOne).RequireRateLimiting(PublicLimits.CheckIns).WithSummary("Check a person in at a venue (acknowledged once stored)").DisableValidation();
        open.MapPost("/batch", CheckInMany).RequireRateLimiting(PublicLimits.CheckIns).WithSummary($"Up to {MaxBatch} check-ins at once; each accepted, duplicate or rejected with the reason").DisableValidation();
        open.MapPost("/checkout", CheckOut).RequireRateLimiting(PublicLimits.Passes).WithSummary("Record leaving: needs the receipt the check-in answered with; without the right one the answer is always 404");
        open.MapPost("/passes", IssuePass).RequireRateLimiting(PublicLimits.Passes).WithSummary("A personal QR for venue scanners (phone and name sealed, with an expiry)");
        open.MapGet("/passes/{pass}/qr.png", PassQr).WithSummary("A valid personal QR as a PNG image (the URL a declaration answers with)");

        routes.MapGroup("/api/v1/staff/checkins").WithTags("Check-ins")
            .RequireAuthorization(p => p.RequireRole(Tracers)).RequireUnitScope()
            .MapGet("/", ByPhone).WithSummary("A person's check-ins at the venues of your units, newest first (audited)");
        return routes;
    }

    internal static async Task<Results<Created<CheckInAccepted>, ValidationProblem, ProblemHttpResult>> CheckInOne(
        CheckInRequest request, [FromHeader(Name = VenuesApi.KeyHeader)] string? key, CheckInDesk desk, CheckInWriter writer, HttpResponse response, CancellationToken cancellationToken)
    {
        var (item, venue, errors, status, limited) = await desk.PrepareAsync(request, key, request.Pass is null ? CheckInSource.Api : CheckInSource.Scanner, cancellationToken);
        if (limited is not null)
        {
            return limited.ToApi(response, "The check-in was not recorded");
        }

        if (item is null)
        {
            return status == StatusCodes.Status400BadRequest
                ? TypedResults.ValidationProblem(errors, title: "The check-in was not recorded")
                : TypedResults.Problem(statusCode: status, title: "The check-in was not recorded", detail: errors.Values.First()[0]);
        }

        var stored = await writer.WriteAsync([item], cancellationToken);
        return TypedResults.Created((string?)null, new CheckInAccepted(venue!.Code, venue.Name, item.At, Duplicate: !stored[0],
            CheckOuts.Receipt(desk.Protection, item.VenueId, item.PhoneHash, item.At)));
    }

    /// <summary>
    /// A batch answers per item: an item over the person's or the venue's limit is rejected with the reason (the others
    /// are kept, so a scanner resends only those), and the answer carries <c>Retry-After</c> for them.
    /// </summary>
    internal static async Task<Results<Ok<BatchOutcome>, ValidationProblem>> CheckInMany(
        CheckInBatch batch, [FromHeader(Name = VenuesApi.KeyHeader)] string? key, CheckInDesk desk, CheckInWriter writer, HttpResponse response, CancellationToken cancellationToken)
    {
        if (batch.Items is not { Count: > 0 and <= MaxBatch } requests)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["items"] = [$"'items' must hold 1 to {MaxBatch} check-ins (got {batch.Items?.Count ?? 0})."] },
                title: "The batch was not recorded");
        }

        var results = new BatchItemResult[requests.Count];
        var accepted = new List<(int Index, NewCheckIn Item)>(requests.Count);
        for (var i = 0; i < requests.Count; i++)
        {
            var request = requests[i] ?? new CheckInRequest(null, null, null, null, null);
            var (item, _, errors, _, limited) = await desk.PrepareAsync(request, key, CheckInSource.Batch, cancellationToken);
            if (item is null)
            {
                limited?.Tell(response);
                results[i] = new BatchItemResult(i, limited is null ? "rejected" : "limited", errors);
            }
            else
            {
                accepted.Add((i, item));
            }
        }

        var stored = await writer.WriteAsync(accepted.Select(a => a.Item).ToList(), cancellationToken);
        for (var j = 0; j < accepted.Count; j++)
        {
            results[accepted[j].Index] = new BatchItemResult(accepted[j].Index, stored[j] ? "accepted" : "duplicate", null);
        }

        return TypedResults.Ok(new BatchOutcome(stored.Count(s => s), stored.Count(s => !s), requests.Count - accepted.Count, results));
    }

    internal static async Task<Results<Ok<CheckInAccepted>, ProblemHttpResult, ValidationProblem>> CheckOut(CheckOutRequest request, CheckOuts checkOuts, CancellationToken cancellationToken) =>
        (await checkOuts.CheckOutAsync(request, cancellationToken)).ToApi(TypedResults.Ok, "The check-out was not recorded");

    internal static Results<Created<IssuedPass>, ValidationProblem> IssuePass(PassRequest request, CheckInPasses passes)
    {
        var errors = new Dictionary<string, string[]>();
        var phone = PhoneNumbers.Normalize(request.Phone);
        if (phone is null)
        {
            errors["phone"] = [CheckInDesk.PhoneProblem];
        }

        var name = CheckInDesk.CheckName(request.Name, errors);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "The personal QR was not issued");
        }

        var (pass, expires) = passes.Issue(phone!, name);
        return TypedResults.Created((string?)null, new IssuedPass(pass, expires));
    }

    internal static Results<FileContentHttpResult, ProblemHttpResult> PassQr(string pass, CheckInPasses passes, HttpContext http)
    {
        if (passes.Read(pass) is { Problem: { } problem })
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such personal QR", detail: problem);
        }

        // The image holds the person's pass: no shared cache keeps it.
        http.Response.Headers.CacheControl = "private, no-store";
        return TypedResults.File(VenueQr.Png(pass, 8), "image/png");
    }

    internal static async Task<Results<Ok<List<PersonCheckIn>>, ValidationProblem>> ByPhone(
        string? phone, int? days, CitizenDb db, PersonalData protection, Auditor audit, TimeProvider time, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var normalized = PhoneNumbers.Normalize(phone);
        if (normalized is null || days is < 1 or > 60)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                [normalized is null ? "phone" : "days"] = [normalized is null ? CheckInDesk.PhoneProblem : "'days' must be between 1 and 60."],
            });
        }

        var hash = protection.Hash(normalized);
        var since = time.GetUtcNow().AddDays(-(days ?? 14));
        var rows = await (from c in db.Set<CheckIn>().AsNoTracking()
                          join v in db.Venues.AsNoTracking() on c.VenueId equals v.Id
                          where c.PhoneHash == hash && c.At >= since
                          orderby c.At descending
                          select new { v.Code, VenueName = v.Name, v.Address, v.WardCode, c.At, c.CheckOutAt, c.Name, c.Source })
            .Take(1000).ToListAsync(cancellationToken);
        audit.Record(StaffActor.From(user), "lookup-checkins", "person", CheckInDesk.Mask(normalized), null, new { days = days ?? 14, found = rows.Count });
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(rows.Select(r => new PersonCheckIn(r.Code, r.VenueName, r.Address, r.WardCode, r.At, r.CheckOutAt,
            r.Name is null ? null : protection.Decrypt(r.Name), r.Source.ToString().ToLowerInvariant())).ToList());
    }
}

/// <summary>Checks a check-in request and seals its personal data; shared by the API and the pages.</summary>
public sealed class CheckInDesk(VenueDirectory directory, PersonalData protection, CheckInPasses passes, VenueOptions options, BodyLimits limits, TimeProvider time)
{
    public static readonly string PhoneProblem = PhoneNumbers.Problem("phone");
    public static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(2);

    public VenueDirectory Directory => directory;

    public PersonalData Protection => protection;

    /// <summary>
    /// The check-in to store, or the errors: 400 for fields, 404 for an unknown venue, 410 for a closed one, 403 for a
    /// personal QR without the venue's key, 429 (with <see cref="BodyLimits.Refusal"/>) when the person or the venue is over
    /// its limit; a valid item counts against both limits.
    /// </summary>
    public async Task<(NewCheckIn? Item, VenueEntry? Venue, Dictionary<string, string[]> Errors, int Status, BodyLimits.Refusal? Limited)> PrepareAsync(
        CheckInRequest request, string? venueKey, CheckInSource source, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var now = time.GetUtcNow();
        string? phone;
        string? name;
        if (request.Pass is { } pass)
        {
            if (request.Phone is not null || request.Name is not null || request.Email is not null)
            {
                errors["pass"] = ["Give either 'pass' (a scanned personal QR) or 'phone', 'name' and 'email', not both."];
            }

            (phone, name, var problem) = passes.Read(pass.Trim());
            if (problem is not null)
            {
                errors["pass"] = [problem];
            }
        }
        else
        {
            phone = PhoneNumbers.Normalize(request.Phone);
            if (phone is null)
            {
                errors["phone"] = [PhoneProblem];
            }

            name = CheckName(request.Name, errors);
        }

        var email = CheckEmail(request.Email, errors);
        var at = request.At ?? now;
        var oldest = now.AddDays(-options.RetentionDays);
        if (at > now + ClockSkew)
        {
            errors["at"] = ["'at' is in the future."];
        }
        else if (at < oldest)
        {
            errors["at"] = [$"'at' is older than {options.RetentionDays} days, the time check-ins are kept."];
        }

        if (request.CheckOutAt is { } checkOut && (checkOut < at || checkOut > now + ClockSkew))
        {
            errors["checkOutAt"] = ["'checkOutAt' must be after 'at' and not in the future."];
        }

        var venue = await directory.FindAsync(request.VenueCode, cancellationToken);
        var status = StatusCodes.Status400BadRequest;
        if (venue is null)
        {
            errors["venueCode"] = [string.IsNullOrWhiteSpace(request.VenueCode) ? "'venueCode' is required." : $"There is no venue '{PlainText.Shorten(request.VenueCode, 20)}'."];
            status = string.IsNullOrWhiteSpace(request.VenueCode) || errors.Count > 1 ? status : StatusCodes.Status404NotFound;
        }
        else if (!venue.Open)
        {
            errors["venueCode"] = [$"The venue '{venue.Code}' is closed: it takes no check-ins."];
            status = errors.Count > 1 ? status : StatusCodes.Status410Gone;
        }
        else if (request.Pass is not null && !venue.KeyMatches(venueKey))
        {
            errors["pass"] = [$"Only the venue's own scanner checks in personal QRs: send the venue's key in the {VenuesApi.KeyHeader} header."];
            status = errors.Count > 1 ? status : StatusCodes.Status403Forbidden;
        }

        if (errors.Count > 0)
        {
            return (null, venue, errors, status, null);
        }

        var phoneHash = protection.Hash(phone!);
        if (limits.CheckIn(phoneHash, venue!.Code) is { } refusal)
        {
            errors[refusal.By == BodyLimits.LimitedBy.Venue ? "venueCode" : "phone"] = [refusal.Message];
            return (null, venue, errors, StatusCodes.Status429TooManyRequests, refusal);
        }

        var item = new NewCheckIn(venue.Id, phoneHash, protection.Encrypt(phone!), name is null ? null : protection.Encrypt(name),
            at.ToUniversalTime(), request.CheckOutAt?.ToUniversalTime(), source, protection.Seal(email));
        return (item, venue, errors, status, null);
    }

    /// <summary>The optional e-mail a resident gives for health notices (an exposure found by tracing), normalized; kept sealed with the check-in.</summary>
    public static string? CheckEmail(string? value, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        if (!EmailAddresses.IsOrdinary(value.Trim()))
        {
            errors["email"] = ["'email' is an ordinary e-mail address (name@example.vn), or left out."];
            return null;
        }

        return EmailAddresses.Normalize(value);
    }

    public static string? CheckName(string? value, Dictionary<string, string[]> errors)
    {
        var name = value?.Trim();
        if (string.IsNullOrEmpty(name))
        {
            return null;
        }

        if (name.Length > CheckInsApi.MaxName)
        {
            errors["name"] = [$"'name' must be at most {CheckInsApi.MaxName} characters."];
            return null;
        }

        PlainText.CheckName("name", name, errors);
        return name;
    }

    /// <summary>A phone as the audit trail shows it: 0909***456.</summary>
    public static string Mask(string phone) => phone.Length < 7 ? "***" : phone[..4] + "***" + phone[^3..];
}
