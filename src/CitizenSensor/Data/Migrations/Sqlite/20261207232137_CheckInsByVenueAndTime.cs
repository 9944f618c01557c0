using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CitizenSensor.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class CheckInsByVenueAndTime : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_CheckIns_VenueId_At",
                table: "CheckIns",
                columns: new[] { "VenueId", "At" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_CheckIns_VenueId_At",
                table: "CheckIns");
        }
    }
}
