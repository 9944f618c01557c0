using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CitizenSensor.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class CaseUpdates : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "Revision",
                table: "TracingCases",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<long>(
                name: "UpdatedAt",
                table: "TracingCases",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "UpdatedBy",
                table: "TracingCases",
                type: "TEXT",
                maxLength: 200,
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_TracingCases_PersonHash_TestDate",
                table: "TracingCases",
                columns: new[] { "PersonHash", "TestDate" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_TracingCases_PersonHash_TestDate",
                table: "TracingCases");

            migrationBuilder.DropColumn(
                name: "Revision",
                table: "TracingCases");

            migrationBuilder.DropColumn(
                name: "UpdatedAt",
                table: "TracingCases");

            migrationBuilder.DropColumn(
                name: "UpdatedBy",
                table: "TracingCases");
        }
    }
}
