using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CitizenSensor.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class DropPlainPersonalData : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Venues_OwnerPhone",
                table: "Venues");

            migrationBuilder.DropIndex(
                name: "IX_Calls_CallerPhone_StartedAt",
                table: "Calls");

            migrationBuilder.DropColumn(
                name: "OwnerName",
                table: "Venues");

            migrationBuilder.DropColumn(
                name: "OwnerPhone",
                table: "Venues");

            migrationBuilder.DropColumn(
                name: "ChannelAddress",
                table: "Reports");

            migrationBuilder.DropColumn(
                name: "ReporterEmail",
                table: "Reports");

            migrationBuilder.DropColumn(
                name: "ReporterName",
                table: "Reports");

            migrationBuilder.DropColumn(
                name: "ReporterPhone",
                table: "Reports");

            migrationBuilder.DropColumn(
                name: "CallerPhone",
                table: "Calls");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "OwnerName",
                table: "Venues",
                type: "TEXT",
                maxLength: 100,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "OwnerPhone",
                table: "Venues",
                type: "TEXT",
                maxLength: 16,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "ChannelAddress",
                table: "Reports",
                type: "TEXT",
                maxLength: 100,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ReporterEmail",
                table: "Reports",
                type: "TEXT",
                maxLength: 256,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ReporterName",
                table: "Reports",
                type: "TEXT",
                maxLength: 100,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ReporterPhone",
                table: "Reports",
                type: "TEXT",
                maxLength: 20,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "CallerPhone",
                table: "Calls",
                type: "TEXT",
                maxLength: 20,
                nullable: false,
                defaultValue: "");

            migrationBuilder.CreateIndex(
                name: "IX_Venues_OwnerPhone",
                table: "Venues",
                column: "OwnerPhone");

            migrationBuilder.CreateIndex(
                name: "IX_Calls_CallerPhone_StartedAt",
                table: "Calls",
                columns: new[] { "CallerPhone", "StartedAt" });
        }
    }
}
