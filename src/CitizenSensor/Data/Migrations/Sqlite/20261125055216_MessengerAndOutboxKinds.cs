using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CitizenSensor.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class MessengerAndOutboxKinds : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterColumn<Guid>(
                name: "ReportId",
                table: "WebhookDeliveries",
                type: "TEXT",
                nullable: true,
                oldClrType: typeof(Guid),
                oldType: "TEXT");

            migrationBuilder.AddColumn<string>(
                name: "Kind",
                table: "WebhookDeliveries",
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

            migrationBuilder.CreateTable(
                name: "MessengerConversations",
                columns: table => new
                {
                    Psid = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    ReportId = table.Column<Guid>(type: "TEXT", nullable: true),
                    DraftText = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: true),
                    DraftLat = table.Column<double>(type: "REAL", nullable: true),
                    DraftLng = table.Column<double>(type: "REAL", nullable: true),
                    DraftImages = table.Column<string>(type: "TEXT", maxLength: 8000, nullable: true),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_MessengerConversations", x => x.Psid);
                });

            migrationBuilder.CreateTable(
                name: "MessengerMessagesSeen",
                columns: table => new
                {
                    Mid = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    At = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_MessengerMessagesSeen", x => x.Mid);
                });

            migrationBuilder.CreateIndex(
                name: "IX_MessengerMessagesSeen_At",
                table: "MessengerMessagesSeen",
                column: "At");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "MessengerConversations");

            migrationBuilder.DropTable(
                name: "MessengerMessagesSeen");

            migrationBuilder.DropColumn(
                name: "Kind",
                table: "WebhookDeliveries");

            migrationBuilder.DropColumn(
                name: "ChannelAddress",
                table: "Reports");

            migrationBuilder.AlterColumn<Guid>(
                name: "ReportId",
                table: "WebhookDeliveries",
                type: "TEXT",
                nullable: false,
                defaultValue: new Guid("00000000-0000-0000-0000-000000000000"),
                oldClrType: typeof(Guid),
                oldType: "TEXT",
                oldNullable: true);
        }
    }
}
