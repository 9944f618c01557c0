using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CitizenSensor.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class EmailChannel : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "EmailMessagesSeen",
                columns: table => new
                {
                    MessageId = table.Column<string>(type: "TEXT", maxLength: 300, nullable: false),
                    Sender = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    ReportId = table.Column<Guid>(type: "TEXT", nullable: true),
                    Outcome = table.Column<string>(type: "TEXT", maxLength: 300, nullable: false),
                    At = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_EmailMessagesSeen", x => x.MessageId);
                });

            migrationBuilder.CreateTable(
                name: "EmailThreads",
                columns: table => new
                {
                    Key = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Subject = table.Column<string>(type: "TEXT", maxLength: 300, nullable: false),
                    RootMessageId = table.Column<string>(type: "TEXT", maxLength: 300, nullable: false),
                    LastMessageId = table.Column<string>(type: "TEXT", maxLength: 300, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_EmailThreads", x => x.Key);
                });

            migrationBuilder.CreateIndex(
                name: "IX_EmailMessagesSeen_At",
                table: "EmailMessagesSeen",
                column: "At");

            migrationBuilder.CreateIndex(
                name: "IX_EmailMessagesSeen_Sender_At",
                table: "EmailMessagesSeen",
                columns: new[] { "Sender", "At" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "EmailMessagesSeen");

            migrationBuilder.DropTable(
                name: "EmailThreads");
        }
    }
}
