using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CitizenSensor.Data.Migrations.Sqlite
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
                    Definition = table.Column<byte>(type: "INTEGER", nullable: false),
                    Day = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    WardCode = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Source = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    DistrictCode = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    People = table.Column<int>(type: "INTEGER", nullable: false),
                    Symptomatic = table.Column<int>(type: "INTEGER", nullable: false),
                    Exposed = table.Column<int>(type: "INTEGER", nullable: false),
                    Submissions = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DeclarationDays", x => new { x.Definition, x.Day, x.WardCode, x.Source });
                });

            migrationBuilder.CreateTable(
                name: "DeclarationPartners",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Source = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    KeyHash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    KeyHint = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    CreatedBy = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    RevokedAt = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DeclarationPartners", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "DeclarationPersonDays",
                columns: table => new
                {
                    Definition = table.Column<byte>(type: "INTEGER", nullable: false),
                    Day = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    PersonHash = table.Column<byte[]>(type: "BLOB", maxLength: 32, nullable: false),
                    WardCode = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    DistrictCode = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Source = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    Declarations = table.Column<int>(type: "INTEGER", nullable: false),
                    Symptomatic = table.Column<bool>(type: "INTEGER", nullable: false),
                    SymptomaticSource = table.Column<string>(type: "TEXT", maxLength: 40, nullable: true),
                    SymptomaticBatch = table.Column<long>(type: "INTEGER", nullable: true),
                    Exposed = table.Column<bool>(type: "INTEGER", nullable: false),
                    ExposedBatch = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DeclarationPersonDays", x => new { x.Definition, x.Day, x.PersonHash });
                });

            migrationBuilder.CreateTable(
                name: "Declarations",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    QuestionnaireVersion = table.Column<int>(type: "INTEGER", nullable: false),
                    At = table.Column<long>(type: "INTEGER", nullable: false),
                    Day = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    Version = table.Column<int>(type: "INTEGER", nullable: false),
                    PersonHash = table.Column<byte[]>(type: "BLOB", maxLength: 32, nullable: false),
                    Payload = table.Column<byte[]>(type: "BLOB", nullable: false),
                    WardCode = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    DistrictCode = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    UnitPath = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    Symptoms = table.Column<int>(type: "INTEGER", nullable: false),
                    Exposures = table.Column<int>(type: "INTEGER", nullable: false),
                    Source = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Declarations", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "FollowUpTasks",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    PersonHash = table.Column<byte[]>(type: "BLOB", maxLength: 32, nullable: false),
                    DeclarationId = table.Column<long>(type: "INTEGER", nullable: false),
                    WardCode = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    DistrictCode = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    UnitPath = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    Symptoms = table.Column<int>(type: "INTEGER", nullable: false),
                    Exposures = table.Column<int>(type: "INTEGER", nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    DueAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Status = table.Column<byte>(type: "INTEGER", nullable: false),
                    EscalatedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    Outcome = table.Column<byte>(type: "INTEGER", nullable: true),
                    Note = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    Attempts = table.Column<int>(type: "INTEGER", nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    UpdatedBy = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    ClosedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    Revision = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_FollowUpTasks", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "QuestionnaireVersions",
                columns: table => new
                {
                    Version = table.Column<int>(type: "INTEGER", nullable: false),
                    Title = table.Column<string>(type: "TEXT", nullable: false),
                    Questions = table.Column<string>(type: "TEXT", nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    CreatedBy = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false)
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
