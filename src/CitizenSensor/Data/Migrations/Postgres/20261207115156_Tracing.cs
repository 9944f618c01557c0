using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace CitizenSensor.Data.Migrations.Postgres
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
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    CityCode = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Version = table.Column<int>(type: "integer", nullable: false),
                    LookBackDays = table.Column<int>(type: "integer", nullable: false),
                    Match = table.Column<byte>(type: "smallint", nullable: false),
                    WindowMinutes = table.Column<int>(type: "integer", nullable: false),
                    MinimumStayMinutes = table.Column<int>(type: "integer", nullable: false),
                    AerosolTailMaxMinutes = table.Column<int>(type: "integer", nullable: false),
                    HighRiskMinutes = table.Column<double>(type: "double precision", nullable: false),
                    DefaultStayMinutes = table.Column<int>(type: "integer", nullable: false),
                    KindWeights = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: false),
                    SavedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    SavedBy = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ExposureRuleVersions", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "Exposures",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    CaseId = table.Column<long>(type: "bigint", nullable: false),
                    Generation = table.Column<byte>(type: "smallint", nullable: false),
                    PersonHash = table.Column<byte[]>(type: "bytea", maxLength: 32, nullable: false),
                    VenueId = table.Column<long>(type: "bigint", nullable: false),
                    SourceCheckInId = table.Column<long>(type: "bigint", nullable: false),
                    ContactCheckInId = table.Column<long>(type: "bigint", nullable: false),
                    From = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    To = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    OverlapMinutes = table.Column<double>(type: "double precision", nullable: false),
                    Score = table.Column<double>(type: "double precision", nullable: false),
                    HighRisk = table.Column<bool>(type: "boolean", nullable: false),
                    RuleVersion = table.Column<int>(type: "integer", nullable: false),
                    WardCode = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    UnitPath = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    FoundAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Exposures", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "TracingCases",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    PersonHash = table.Column<byte[]>(type: "bytea", maxLength: 32, nullable: false),
                    SealedPhone = table.Column<byte[]>(type: "bytea", maxLength: 256, nullable: false),
                    SealedName = table.Column<byte[]>(type: "bytea", maxLength: 1024, nullable: false),
                    SealedCitizenId = table.Column<byte[]>(type: "bytea", maxLength: 256, nullable: true),
                    Status = table.Column<byte>(type: "smallint", nullable: false),
                    OnsetDate = table.Column<DateOnly>(type: "date", nullable: true),
                    TestDate = table.Column<DateOnly>(type: "date", nullable: false),
                    Isolation = table.Column<byte>(type: "smallint", nullable: false),
                    FacilityName = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    WardCode = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    UnitPath = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    CityCode = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    DeclarationId = table.Column<long>(type: "bigint", nullable: true),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    CreatedBy = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    TracedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    RuleVersion = table.Column<int>(type: "integer", nullable: true)
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
