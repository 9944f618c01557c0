using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace CitizenSensor.Data.Migrations.Postgres
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
                type: "character varying(16)",
                maxLength: 16,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<bool>(
                name: "ReachedInTime",
                table: "Exposures",
                type: "boolean",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "ClusterCases",
                table: "ExposureRuleVersions",
                type: "integer",
                nullable: false,
                defaultValue: 2); // the shipped defaults for versions saved before

            migrationBuilder.AddColumn<int>(
                name: "ClusterDays",
                table: "ExposureRuleVersions",
                type: "integer",
                nullable: false,
                defaultValue: 14); // the shipped defaults for versions saved before

            migrationBuilder.CreateTable(
                name: "ExposureSites",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    CaseId = table.Column<long>(type: "bigint", nullable: false),
                    SourceCheckInId = table.Column<long>(type: "bigint", nullable: false),
                    VenueId = table.Column<long>(type: "bigint", nullable: false),
                    From = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    To = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    Day = table.Column<DateOnly>(type: "date", nullable: false),
                    People = table.Column<int>(type: "integer", nullable: false),
                    WardCode = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    DistrictCode = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    UnitPath = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    FoundAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    PublishedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    PublishedBy = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    Advice = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ExposureSites", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "TracingDays",
                columns: table => new
                {
                    Definition = table.Column<byte>(type: "smallint", nullable: false),
                    Day = table.Column<DateOnly>(type: "date", nullable: false),
                    WardCode = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    DistrictCode = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    UnitPath = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    Cases = table.Column<int>(type: "integer", nullable: false),
                    F1 = table.Column<int>(type: "integer", nullable: false),
                    F2 = table.Column<int>(type: "integer", nullable: false),
                    F1Reached = table.Column<int>(type: "integer", nullable: false)
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
