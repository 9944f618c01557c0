using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CitizenSensor.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ExposureSitesAndFigures : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "DistrictCode",
                table: "TracingCases",
                type: "TEXT",
                maxLength: 16,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<bool>(
                name: "ReachedInTime",
                table: "Exposures",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "ClusterCases",
                table: "ExposureRuleVersions",
                type: "INTEGER",
                nullable: false,
                defaultValue: 2); // the shipped defaults for versions saved before

            migrationBuilder.AddColumn<int>(
                name: "ClusterDays",
                table: "ExposureRuleVersions",
                type: "INTEGER",
                nullable: false,
                defaultValue: 14); // the shipped defaults for versions saved before

            migrationBuilder.CreateTable(
                name: "ExposureSites",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    CaseId = table.Column<long>(type: "INTEGER", nullable: false),
                    SourceCheckInId = table.Column<long>(type: "INTEGER", nullable: false),
                    VenueId = table.Column<long>(type: "INTEGER", nullable: false),
                    From = table.Column<long>(type: "INTEGER", nullable: false),
                    To = table.Column<long>(type: "INTEGER", nullable: false),
                    Day = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    People = table.Column<int>(type: "INTEGER", nullable: false),
                    WardCode = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    DistrictCode = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    UnitPath = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    FoundAt = table.Column<long>(type: "INTEGER", nullable: false),
                    PublishedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    PublishedBy = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    Advice = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ExposureSites", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "TracingDays",
                columns: table => new
                {
                    Definition = table.Column<byte>(type: "INTEGER", nullable: false),
                    Day = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    WardCode = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    DistrictCode = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    UnitPath = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    Cases = table.Column<int>(type: "INTEGER", nullable: false),
                    F1 = table.Column<int>(type: "INTEGER", nullable: false),
                    F2 = table.Column<int>(type: "INTEGER", nullable: false),
                    F1Reached = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_TracingDays", x => new { x.Definition, x.Day, x.WardCode });
                });

            migrationBuilder.CreateIndex(
                name: "IX_Exposures_FoundAt",
                table: "Exposures",
                column: "FoundAt");

            migrationBuilder.CreateIndex(
                name: "IX_ExposureSites_CaseId_SourceCheckInId",
                table: "ExposureSites",
                columns: new[] { "CaseId", "SourceCheckInId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ExposureSites_Day_UnitPath",
                table: "ExposureSites",
                columns: new[] { "Day", "UnitPath" });

            migrationBuilder.CreateIndex(
                name: "IX_ExposureSites_PublishedAt",
                table: "ExposureSites",
                column: "PublishedAt");

            migrationBuilder.CreateIndex(
                name: "IX_ExposureSites_VenueId_From",
                table: "ExposureSites",
                columns: new[] { "VenueId", "From" });

            migrationBuilder.CreateIndex(
                name: "IX_TracingDays_Definition_Day_UnitPath",
                table: "TracingDays",
                columns: new[] { "Definition", "Day", "UnitPath" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ExposureSites");

            migrationBuilder.DropTable(
                name: "TracingDays");

            migrationBuilder.DropIndex(
                name: "IX_Exposures_FoundAt",
                table: "Exposures");

            migrationBuilder.DropColumn(
                name: "DistrictCode",
                table: "TracingCases");

            migrationBuilder.DropColumn(
                name: "ReachedInTime",
                table: "Exposures");

            migrationBuilder.DropColumn(
                name: "ClusterCases",
                table: "ExposureRuleVersions");

            migrationBuilder.DropColumn(
                name: "ClusterDays",
                table: "ExposureRuleVersions");
        }
    }
}
