using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CitizenSensor.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ProcessingLeaseOwnerAndLocationIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "ProcessingLeaseOwner",
                table: "Reports",
                type: "TEXT",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_Reports_Latitude_Longitude",
                table: "Reports",
                columns: new[] { "Latitude", "Longitude" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Reports_Latitude_Longitude",
                table: "Reports");

            migrationBuilder.DropColumn(
                name: "ProcessingLeaseOwner",
                table: "Reports");
        }
    }
}
