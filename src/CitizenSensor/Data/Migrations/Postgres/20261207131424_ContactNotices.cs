using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace CitizenSensor.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class ContactNotices : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<byte[]>(
                name: "Email",
                table: "CheckIns",
                type: "bytea",
                maxLength: 512,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "ContactNotices",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Key = table.Column<Guid>(type: "uuid", nullable: false),
                    ExposureId = table.Column<long>(type: "bigint", nullable: false),
                    PersonHash = table.Column<byte[]>(type: "bytea", maxLength: 32, nullable: false),
                    ContactCheckInId = table.Column<long>(type: "bigint", nullable: false),
                    EmailCheckInId = table.Column<long>(type: "bigint", nullable: true),
                    Generation = table.Column<byte>(type: "smallint", nullable: false),
                    ExposedOn = table.Column<DateOnly>(type: "date", nullable: false),
                    Until = table.Column<DateOnly>(type: "date", nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    SeenAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    BySms = table.Column<bool>(type: "boolean", nullable: false),
                    ByEmail = table.Column<bool>(type: "boolean", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ContactNotices", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ContactNotices_Exposures_ExposureId",
                        column: x => x.ExposureId,
                        principalTable: "Exposures",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_ContactNotices_ExposureId",
                table: "ContactNotices",
                column: "ExposureId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ContactNotices_Key",
                table: "ContactNotices",
                column: "Key",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ContactNotices_PersonHash",
                table: "ContactNotices",
                column: "PersonHash");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ContactNotices");

            migrationBuilder.DropColumn(
                name: "Email",
                table: "CheckIns");
        }
    }
}
