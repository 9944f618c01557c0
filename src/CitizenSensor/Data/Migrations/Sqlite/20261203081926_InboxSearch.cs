using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CitizenSensor.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class InboxSearch : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "SearchText",
                table: "Reports",
                type: "TEXT",
                maxLength: 4512,
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_Reports_SearchText_Missing",
                table: "Reports",
                column: "Id",
                filter: "\"SearchText\" IS NULL");

            migrationBuilder.CreateIndex(
                name: "IX_Reports_SubmittedAt_Code",
                table: "Reports",
                columns: new[] { "SubmittedAt", "Code" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Reports_SearchText_Missing",
                table: "Reports");

            migrationBuilder.DropIndex(
                name: "IX_Reports_SubmittedAt_Code",
                table: "Reports");

            migrationBuilder.DropColumn(
                name: "SearchText",
                table: "Reports");
        }
    }
}
