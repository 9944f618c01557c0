using CitizenSensor.Data;
using CitizenSensor.Features.Jurisdictions;
using CitizenSensor.Features.Reports;
using CitizenSensor.Features.Staff;
using CitizenSensor.Infrastructure;

// `dotnet run -- migrate | create-admin | import-units` runs an operator command instead of the portal.
var command = Commands.Parse(args);
var builder = WebApplication.CreateBuilder(command is null ? args : []);

var database = builder.AddDatabase();
builder.AddWebSurface(database);
builder.AddJurisdictions();
builder.AddStaff();
builder.AddReports();

var app = builder.Build();
if (command is not null)
{
    return await command.RunAsync(app);
}

await app.PrepareAsync();

app.UseWebSurface();
app.MapWebSurface();
app.MapJurisdictions();
app.MapStaff();
app.MapReports();

await app.RunAsync();
return 0;

/// <summary>Entry point, visible to the tests' WebApplicationFactory.</summary>
public partial class Program;
