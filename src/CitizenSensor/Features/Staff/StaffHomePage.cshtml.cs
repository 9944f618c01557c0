using CitizenSensor.Data;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CitizenSensor.Features.Staff;

[Authorize]
public sealed class StaffHomePageModel(CitizenDb db) : PageModel
{
    public StaffProfile Profile { get; private set; } = null!;

    public async Task OnGetAsync(CancellationToken cancellationToken) =>
        Profile = (await StaffApi.Me(User, db, cancellationToken)).Value!;
}
