using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using CitizenSensor.Data;
using CitizenSensor.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace CitizenSensor.Features.Staff;

public sealed record CreateTokenRequest(
    [property: Required, EmailAddress, MaxLength(256)] string Email,
    [property: Required, MaxLength(256)] string Password,
    [property: MaxLength(100)] string? Name,
    DateTimeOffset? ExpiresAt);

public sealed record CreatedToken(Guid Id, string Name, string Token, DateTimeOffset? ExpiresAt);

public sealed record TokenInfo(Guid Id, string Name, string Hint, string Owner, DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt, DateTimeOffset? LastUsedAt, DateTimeOffset? RevokedAt);

/// <summary>Personal API tokens: created with e-mail and password, listed and revoked by their owner or an Admin.</summary>
public static class TokensApi
{
    public static readonly TimeSpan DefaultLifetime = TimeSpan.FromDays(90);
    public static readonly TimeSpan MaxLifetime = TimeSpan.FromDays(366);

    public static RouteGroupBuilder MapTokensApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/auth/tokens").WithTags("Authentication");
        group.MapPost("/", Create).AllowAnonymous().RequireRateLimiting(PublicLimits.SignIn).WithSummary("Exchange e-mail and password for a personal API token");
        group.MapGet("/", List).RequireAuthorization().WithSummary("Your tokens (Admin: anyone's, with ?owner=e-mail)");
        group.MapDelete("/{id:guid}", Revoke).RequireAuthorization().WithSummary("Revoke a token");
        return group;
    }

    internal static async Task<Results<Created<CreatedToken>, ValidationProblem, ProblemHttpResult>> Create(
        CreateTokenRequest request,
        StaffSignIn staff,
        CitizenDb db,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var expiresAt = request.ExpiresAt ?? now + DefaultLifetime;
        if (expiresAt <= now || expiresAt > now + MaxLifetime)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["expiresAt"] = [$"'expiresAt' must be in the future and at most {MaxLifetime.TotalDays:0} days away."],
            });
        }

        if (await staff.CheckAsync(request.Email, request.Password) is not { } user)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Sign-in failed",
                detail: "The e-mail or password is wrong, or the account is locked for a while after too many failed sign-ins.");
        }

        var secret = ApiToken.NewSecret();
        var token = new ApiToken
        {
            Id = Guid.CreateVersion7(now),
            UserId = user.Id,
            Name = string.IsNullOrWhiteSpace(request.Name) ? "API token" : request.Name.Trim(),
            TokenHash = ApiToken.Hash(secret),
            Hint = secret[..10],
            CreatedAt = now,
            ExpiresAt = expiresAt,
        };
        db.ApiTokens.Add(token);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"/api/v1/auth/tokens/{token.Id}", new CreatedToken(token.Id, token.Name, secret, token.ExpiresAt));
    }

    internal static async Task<Results<Ok<List<TokenInfo>>, ProblemHttpResult>> List(ClaimsPrincipal user, CitizenDb db, string? owner, CancellationToken cancellationToken)
    {
        var query = db.ApiTokens.AsNoTracking();
        if (owner is null)
        {
            var userId = CurrentUserId(user);
            query = query.Where(t => t.UserId == userId);
        }
        else if (user.IsInRole(StaffRoles.Admin))
        {
            var normalized = owner.ToUpperInvariant();
            query = query.Where(t => t.User!.NormalizedEmail == normalized);
        }
        else
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden", detail: "Only an Admin can list another person's tokens.");
        }

        var tokens = await query.OrderByDescending(t => t.CreatedAt)
            .Select(t => new TokenInfo(t.Id, t.Name, t.Hint, t.User!.Email ?? "", t.CreatedAt, t.ExpiresAt, t.LastUsedAt, t.RevokedAt))
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(tokens);
    }

    internal static async Task<Results<NoContent, ProblemHttpResult>> Revoke(Guid id, ClaimsPrincipal user, CitizenDb db, TimeProvider time, CancellationToken cancellationToken)
    {
        var token = await db.ApiTokens.SingleOrDefaultAsync(t => t.Id == id, cancellationToken);
        if (token is null || (token.UserId != CurrentUserId(user) && !user.IsInRole(StaffRoles.Admin)))
        {
            // Someone else's token is "not found": its existence is not anybody else's business.
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Token not found", detail: $"You have no token {id}.");
        }

        token.RevokedAt ??= time.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.NoContent();
    }

    internal static string CurrentUserId(ClaimsPrincipal user) =>
        user.FindFirstValue(ClaimTypes.NameIdentifier) ?? throw new InvalidOperationException("An authenticated user has no id claim.");
}
