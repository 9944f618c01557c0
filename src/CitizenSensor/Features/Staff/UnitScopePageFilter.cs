using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.Filters;

namespace CitizenSensor.Features.Staff;

/// <summary>
/// The page side of <see cref="UnitScopeEndpoints.RequireUnitScope"/>: every page that requires a signed-in user
/// runs inside that user's unit scope, so staff pages are filtered exactly like the staff API.
/// </summary>
public sealed class UnitScopePageFilter(UnitScope scope) : IAsyncPageFilter
{
    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    public async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        if (context.HttpContext.GetEndpoint()?.Metadata.GetMetadata<IAuthorizeData>() is not null)
        {
            scope.RestrictTo(context.HttpContext.User);
        }

        await next();
    }
}
