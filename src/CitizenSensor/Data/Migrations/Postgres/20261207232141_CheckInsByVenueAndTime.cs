using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CitizenSensor.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class CheckInsByVenueAndTime : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // CONCURRENTLY, outside the migration's transaction: on a live city's tens of millions of check-ins a plain
            // CREATE INDEX would hold back every check-in until it is built.
            migrationBuilder.Sql("""CREATE INDEX CONCURRENTLY IF NOT EXISTS "IX_CheckIns_VenueId_At" ON "CheckIns" ("VenueId", "At");""", suppressTransaction: true);
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
