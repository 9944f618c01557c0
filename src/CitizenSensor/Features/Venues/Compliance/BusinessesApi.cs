using System.Security.Claims;
using CitizenSensor.Features.Staff;
using CitizenSensor.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace CitizenSensor.Features.Venues.Compliance;

/// <summary>
/// Businesses that must have a QR location (seed: "businesses that still had no QR after 3 reminders were suspended").
/// Officers import the registry extract (CSV: name, address, ward, kind, phone), see who has no QR, log reminders;
/// after more than <see cref="VenueOptions.RemindersBeforeSuspension"/> the system proposes a suspension, which an
/// officer confirms; the QR lifts it (<see cref="BusinessMatcher"/>). Everything is in the audit trail. The rules live
/// in <see cref="BusinessRegistry"/>; these endpoints hand it the signed-in actor and answer its outcome.
/// </summary>
public static class BusinessesApi
{
    public static IEndpointRouteBuilder MapBusinessesApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/staff/businesses").WithTags("Venues").RequireAuthorization().RequireUnitScope();
        group.MapPost("/import", Import).WithSummary("Import the registry extract (CSV: name,address,ward,kind,phone) into your wards; all rows or none")
            .WithMetadata(new RequestSizeLimitAttribute(BusinessRegistry.MaxImportBytes)).DisableAntiforgery();
        group.MapGet("/", List).WithSummary("Businesses of your units; ?status=without-qr|proposed|suspended|with-qr (audited)");
        group.MapGet("/{id:long}", Get).WithSummary("A business with its reminders (audited)");
        group.MapPost("/{id:long}/reminders", Remind).WithSummary("Log a reminder (date, method); more than 3 propose a suspension");
        group.MapPost("/{id:long}/suspend", Suspend).WithSummary("Confirm the proposed suspension of a business without a QR");
        return routes;
    }

    internal static async Task<Results<Ok<ImportOutcome>, ProblemHttpResult, ValidationProblem>> Import(
        HttpRequest request, BusinessRegistry registry, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var (body, tooLarge, notOneFile) = await CsvUpload.OpenAsync(request, BusinessRegistry.MaxImportBytes, "The registry extract", BusinessRegistry.MaxImportRows, cancellationToken);
        if (tooLarge is not null)
        {
            return tooLarge;
        }

        if (notOneFile is not null || body is null)
        {
            return notOneFile!;
        }

        return (await registry.ImportAsync(StaffActor.From(user), body, cancellationToken)).ToApi(TypedResults.Ok, "Nothing was imported");
    }

    internal static async Task<Results<Ok<BusinessPage>, ProblemHttpResult, ValidationProblem>> List(
        BusinessRegistry registry, ClaimsPrincipal user, string? status, string? ward, string? q, int? page, int? pageSize, CancellationToken cancellationToken) =>
        (await registry.ListAsync(StaffActor.From(user), new BusinessQuery(status, ward, q, page, pageSize), cancellationToken)).ToApi(TypedResults.Ok, "The businesses cannot be listed");

    internal static async Task<Results<Ok<BusinessView>, ProblemHttpResult, ValidationProblem>> Get(
        long id, BusinessRegistry registry, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        (await registry.GetAsync(StaffActor.From(user), id, cancellationToken)).ToApi(TypedResults.Ok, "The business cannot be shown");

    internal static async Task<Results<Ok<BusinessView>, ProblemHttpResult, ValidationProblem>> Remind(
        long id, ReminderRequest request, BusinessRegistry registry, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        (await registry.RemindAsync(StaffActor.From(user), id, request, cancellationToken)).ToApi(TypedResults.Ok, "The reminder was not logged");

    internal static async Task<Results<Ok<BusinessView>, ProblemHttpResult, ValidationProblem>> Suspend(
        long id, BusinessRegistry registry, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        (await registry.SuspendAsync(StaffActor.From(user), id, cancellationToken)).ToApi(TypedResults.Ok, "No suspension to confirm");
}
