using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CitizenSensor.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class VenueDayUnits : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_VenueDays_Day",
                table: "VenueDays");

            migrationBuilder.AddColumn<string>(
                name: "DistrictCode",
                table: "VenueDays",
                type: "character varying(16)",
                maxLength: 16,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "WardCode",
                table: "VenueDays",
                type: "character varying(16)",
                maxLength: 16,
                nullable: false,
                defaultValue: "");

            // Days counted before this migration take their venue's current ward and district.
            migrationBuilder.Sql("""
                UPDATE "VenueDays" SET
                    "DistrictCode" = (SELECT v."DistrictCode" FROM "Venues" v WHERE v."Id" = "VenueDays"."VenueId"),
                    "WardCode" = (SELECT v."WardCode" FROM "Venues" v WHERE v."Id" = "VenueDays"."VenueId")
                """);

            migrationBuilder.CreateIndex(
                name: "IX_VenueDays_Day_DistrictCode_WardCode",
                table: "VenueDays",
                columns: new[] { "Day", "DistrictCode", "WardCode" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_VenueDays_Day_DistrictCode_WardCode",
                table: "VenueDays");

            migrationBuilder.DropColumn(
                name: "DistrictCode",
                table: "VenueDays");

            migrationBuilder.DropColumn(
                name: "WardCode",
                table: "VenueDays");

            migrationBuilder.CreateIndex(
                name: "IX_VenueDays_Day",
                table: "VenueDays",
                column: "Day");
        }
    }
}
