using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CitizenSensor.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Tracing : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "ExposureRuleVersions",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    CityCode = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Version = table.Column<int>(type: "INTEGER", nullable: false),
                    LookBackDays = table.Column<int>(type: "INTEGER", nullable: false),
                    Match = table.Column<byte>(type: "INTEGER", nullable: false),
                    WindowMinutes = table.Column<int>(type: "INTEGER", nullable: false),
                    MinimumStayMinutes = table.Column<int>(type: "INTEGER", nullable: false),
                    AerosolTailMaxMinutes = table.Column<int>(type: "INTEGER", nullable: false),
                    HighRiskMinutes = table.Column<double>(type: "REAL", nullable: false),
                    DefaultStayMinutes = table.Column<int>(type: "INTEGER", nullable: false),
                    KindWeights = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: false),
                    SavedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    SavedBy = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ExposureRuleVersions", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "Exposures",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    CaseId = table.Column<long>(type: "INTEGER", nullable: false),
                    Generation = table.Column<byte>(type: "INTEGER", nullable: false),
                    PersonHash = table.Column<byte[]>(type: "BLOB", maxLength: 32, nullable: false),
                    VenueId = table.Column<long>(type: "INTEGER", nullable: false),
                    SourceCheckInId = table.Column<long>(type: "INTEGER", nullable: false),
                    ContactCheckInId = table.Column<long>(type: "INTEGER", nullable: false),
                    From = table.Column<long>(type: "INTEGER", nullable: false),
                    To = table.Column<long>(type: "INTEGER", nullable: false),
                    OverlapMinutes = table.Column<double>(type: "REAL", nullable: false),
                    Score = table.Column<double>(type: "REAL", nullable: false),
                    HighRisk = table.Column<bool>(type: "INTEGER", nullable: false),
                    RuleVersion = table.Column<int>(type: "INTEGER", nullable: false),
                    WardCode = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    UnitPath = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    FoundAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Exposures", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "TracingCases",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    PersonHash = table.Column<byte[]>(type: "BLOB", maxLength: 32, nullable: false),
                    SealedPhone = table.Column<byte[]>(type: "BLOB", maxLength: 256, nullable: false),
                    SealedName = table.Column<byte[]>(type: "BLOB", maxLength: 1024, nullable: false),
                    SealedCitizenId = table.Column<byte[]>(type: "BLOB", maxLength: 256, nullable: true),
                    Status = table.Column<byte>(type: "INTEGER", nullable: false),
                    OnsetDate = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    TestDate = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    Isolation = table.Column<byte>(type: "INTEGER", nullable: false),
                    FacilityName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    WardCode = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    UnitPath = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    CityCode = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    DeclarationId = table.Column<long>(type: "INTEGER", nullable: true),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    CreatedBy = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    TracedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    RuleVersion = table.Column<int>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_TracingCases", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_ExposureRuleVersions_CityCode_Version",
                table: "ExposureRuleVersions",
                columns: new[] { "CityCode", "Version" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Exposures_CaseId_PersonHash",
                table: "Exposures",
                columns: new[] { "CaseId", "PersonHash" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Exposures_PersonHash",
                table: "Exposures",
                column: "PersonHash");

            migrationBuilder.CreateIndex(
                name: "IX_Exposures_UnitPath",
                table: "Exposures",
                column: "UnitPath");

            migrationBuilder.CreateIndex(
                name: "IX_TracingCases_PersonHash",
                table: "TracingCases",
                column: "PersonHash");

            migrationBuilder.CreateIndex(
                name: "IX_TracingCases_UnitPath",
                table: "TracingCases",
                column: "UnitPath");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ExposureRuleVersions");

            migrationBuilder.DropTable(
                name: "Exposures");

            migrationBuilder.DropTable(
                name: "TracingCases");
        }
    }
}
