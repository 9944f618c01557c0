using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace CitizenSensor.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class HealthDeclarations : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "DeclarationDays",
                columns: table => new
                {
                    Definition = table.Column<byte>(type: "smallint", nullable: false),
                    Day = table.Column<DateOnly>(type: "date", nullable: false),
                    WardCode = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Source = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    DistrictCode = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    People = table.Column<int>(type: "integer", nullable: false),
                    Symptomatic = table.Column<int>(type: "integer", nullable: false),
                    Exposed = table.Column<int>(type: "integer", nullable: false),
                    Submissions = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DeclarationDays", x => new { x.Definition, x.Day, x.WardCode, x.Source });
                });

            migrationBuilder.CreateTable(
                name: "DeclarationPartners",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Source = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    KeyHash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    KeyHint = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    CreatedBy = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    RevokedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DeclarationPartners", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "DeclarationPersonDays",
                columns: table => new
                {
                    Definition = table.Column<byte>(type: "smallint", nullable: false),
                    Day = table.Column<DateOnly>(type: "date", nullable: false),
                    PersonHash = table.Column<byte[]>(type: "bytea", maxLength: 32, nullable: false),
                    WardCode = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    DistrictCode = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Source = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    Declarations = table.Column<int>(type: "integer", nullable: false),
                    Symptomatic = table.Column<bool>(type: "boolean", nullable: false),
                    SymptomaticSource = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    SymptomaticBatch = table.Column<long>(type: "bigint", nullable: true),
                    Exposed = table.Column<bool>(type: "boolean", nullable: false),
                    ExposedBatch = table.Column<long>(type: "bigint", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DeclarationPersonDays", x => new { x.Definition, x.Day, x.PersonHash });
                });

            migrationBuilder.CreateTable(
                name: "Declarations",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    QuestionnaireVersion = table.Column<int>(type: "integer", nullable: false),
                    At = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    Day = table.Column<DateOnly>(type: "date", nullable: false),
                    Version = table.Column<int>(type: "integer", nullable: false),
                    PersonHash = table.Column<byte[]>(type: "bytea", maxLength: 32, nullable: false),
                    Payload = table.Column<byte[]>(type: "bytea", nullable: false),
                    WardCode = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    DistrictCode = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    UnitPath = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    Symptoms = table.Column<int>(type: "integer", nullable: false),
                    Exposures = table.Column<int>(type: "integer", nullable: false),
                    Source = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Declarations", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "FollowUpTasks",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    PersonHash = table.Column<byte[]>(type: "bytea", maxLength: 32, nullable: false),
                    DeclarationId = table.Column<long>(type: "bigint", nullable: false),
                    WardCode = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    DistrictCode = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    UnitPath = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    Symptoms = table.Column<int>(type: "integer", nullable: false),
                    Exposures = table.Column<int>(type: "integer", nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    DueAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    Status = table.Column<byte>(type: "smallint", nullable: false),
                    EscalatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    Outcome = table.Column<byte>(type: "smallint", nullable: true),
                    Note = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    Attempts = table.Column<int>(type: "integer", nullable: false),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    UpdatedBy = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    ClosedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    Revision = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_FollowUpTasks", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "QuestionnaireVersions",
                columns: table => new
                {
                    Version = table.Column<int>(type: "integer", nullable: false),
                    Title = table.Column<string>(type: "text", nullable: false),
                    Questions = table.Column<string>(type: "text", nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    CreatedBy = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_QuestionnaireVersions", x => x.Version);
                });

            migrationBuilder.CreateIndex(
                name: "IX_DeclarationPartners_KeyHash",
                table: "DeclarationPartners",
                column: "KeyHash",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_DeclarationPartners_Source",
                table: "DeclarationPartners",
                column: "Source",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Declarations_At",
                table: "Declarations",
                column: "At");

            migrationBuilder.CreateIndex(
                name: "IX_FollowUpTasks_CreatedAt",
                table: "FollowUpTasks",
                column: "CreatedAt");

            migrationBuilder.CreateIndex(
                name: "IX_FollowUpTasks_PersonHash",
                table: "FollowUpTasks",
                column: "PersonHash",
                unique: true,
                filter: "\"Status\" = 1");

            migrationBuilder.CreateIndex(
                name: "IX_FollowUpTasks_Status_DueAt",
                table: "FollowUpTasks",
                columns: new[] { "Status", "DueAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "DeclarationDays");

            migrationBuilder.DropTable(
                name: "DeclarationPartners");

            migrationBuilder.DropTable(
                name: "DeclarationPersonDays");

            migrationBuilder.DropTable(
                name: "Declarations");

            migrationBuilder.DropTable(
                name: "FollowUpTasks");

            migrationBuilder.DropTable(
                name: "QuestionnaireVersions");
        }
    }
}
