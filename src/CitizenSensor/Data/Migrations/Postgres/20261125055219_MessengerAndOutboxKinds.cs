using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CitizenSensor.Data.Migrations.Postgres
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
                type: "uuid",
                nullable: true,
                oldClrType: typeof(Guid),
                oldType: "uuid");

            migrationBuilder.AddColumn<string>(
                name: "Kind",
                table: "WebhookDeliveries",
                type: "character varying(16)",
                maxLength: 16,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "ChannelAddress",
                table: "Reports",
                type: "character varying(100)",
                maxLength: 100,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "MessengerConversations",
                columns: table => new
                {
                    Psid = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    ReportId = table.Column<Guid>(type: "uuid", nullable: true),
                    DraftText = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: true),
                    DraftLat = table.Column<double>(type: "double precision", nullable: true),
                    DraftLng = table.Column<double>(type: "double precision", nullable: true),
                    DraftImages = table.Column<string>(type: "character varying(8000)", maxLength: 8000, nullable: true),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_MessengerConversations", x => x.Psid);
                });

            migrationBuilder.CreateTable(
                name: "MessengerMessagesSeen",
                columns: table => new
                {
                    Mid = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    At = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
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
                type: "uuid",
                nullable: false,
                defaultValue: new Guid("00000000-0000-0000-0000-000000000000"),
                oldClrType: typeof(Guid),
                oldType: "uuid",
                oldNullable: true);
        }
    }
}
