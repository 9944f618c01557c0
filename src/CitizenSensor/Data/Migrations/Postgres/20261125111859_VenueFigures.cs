using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CitizenSensor.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class VenueFigures : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Venues_CreatedDay",
                table: "Venues");

            migrationBuilder.DropIndex(
                name: "IX_Venues_UnitPath",
                table: "Venues");

            migrationBuilder.DropIndex(
                name: "IX_VenueDays_Day_DistrictCode_WardCode",
                table: "VenueDays");

            migrationBuilder.CreateTable(
                name: "WardDays",
                columns: table => new
                {
                    WardCode = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Day = table.Column<DateOnly>(type: "date", nullable: false),
                    DistrictCode = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Scans = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_WardDays", x => new { x.WardCode, x.Day });
                });

            migrationBuilder.CreateIndex(
                name: "IX_Venues_UnitPath_CreatedDay_ClosedAt_DistrictCode",
                table: "Venues",
                columns: new[] { "UnitPath", "CreatedDay", "ClosedAt", "DistrictCode" });

            migrationBuilder.CreateIndex(
                name: "IX_VenueDays_Day_DistrictCode_WardCode_VenueId",
                table: "VenueDays",
                columns: new[] { "Day", "DistrictCode", "WardCode", "VenueId" });

            // The wards' days counted so far, from the venues' days.
            migrationBuilder.Sql("""
                INSERT INTO "WardDays" ("WardCode", "Day", "DistrictCode", "Scans")
                SELECT "WardCode", "Day", min("DistrictCode"), sum("Scans") FROM "VenueDays" WHERE "WardCode" <> '' GROUP BY "WardCode", "Day"
                """);

            migrationBuilder.CreateIndex(
                name: "IX_WardDays_Day_DistrictCode",
                table: "WardDays",
                columns: new[] { "Day", "DistrictCode" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "WardDays");

            migrationBuilder.DropIndex(
                name: "IX_Venues_UnitPath_CreatedDay_ClosedAt_DistrictCode",
                table: "Venues");

            migrationBuilder.DropIndex(
                name: "IX_VenueDays_Day_DistrictCode_WardCode_VenueId",
                table: "VenueDays");

            migrationBuilder.CreateIndex(
                name: "IX_Venues_CreatedDay",
                table: "Venues",
                column: "CreatedDay");

            migrationBuilder.CreateIndex(
                name: "IX_Venues_UnitPath",
                table: "Venues",
                column: "UnitPath");

            migrationBuilder.CreateIndex(
                name: "IX_VenueDays_Day_DistrictCode_WardCode",
                table: "VenueDays",
                columns: new[] { "Day", "DistrictCode", "WardCode" });
        }
    }
}
