using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CitizenSensor.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class CallsByUnit : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "UnitPath",
                table: "Calls",
                type: "TEXT",
                maxLength: 256,
                nullable: true);

            // Calls logged before: the unit of the account that logged them (a city's contact centre).
            migrationBuilder.Sql("""
                UPDATE "Calls" SET "UnitPath" = (SELECT u."UnitPath" FROM "AspNetUsers" u WHERE u."NormalizedEmail" = UPPER("Calls"."LoggedBy"))
                """);

            migrationBuilder.CreateIndex(
                name: "IX_Calls_UnitPath",
                table: "Calls",
                column: "UnitPath");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Calls_UnitPath",
                table: "Calls");

            migrationBuilder.DropColumn(
                name: "UnitPath",
                table: "Calls");
        }
    }
}
