using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CitizenSensor.Data.Migrations.Sqlite
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
                type: "BLOB",
                maxLength: 512,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "ContactNotices",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Key = table.Column<Guid>(type: "TEXT", nullable: false),
                    ExposureId = table.Column<long>(type: "INTEGER", nullable: false),
                    PersonHash = table.Column<byte[]>(type: "BLOB", maxLength: 32, nullable: false),
                    ContactCheckInId = table.Column<long>(type: "INTEGER", nullable: false),
                    EmailCheckInId = table.Column<long>(type: "INTEGER", nullable: true),
                    Generation = table.Column<byte>(type: "INTEGER", nullable: false),
                    ExposedOn = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    Until = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    SeenAt = table.Column<long>(type: "INTEGER", nullable: true),
                    BySms = table.Column<bool>(type: "INTEGER", nullable: false),
                    ByEmail = table.Column<bool>(type: "INTEGER", nullable: false)
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
