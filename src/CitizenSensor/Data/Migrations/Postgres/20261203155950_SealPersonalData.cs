using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CitizenSensor.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class SealPersonalData : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<byte[]>(
                name: "OwnerPhoneHash",
                table: "Venues",
                type: "bytea",
                maxLength: 32,
                nullable: false,
                defaultValue: new byte[0]);

            migrationBuilder.AddColumn<byte[]>(
                name: "SealedOwnerName",
                table: "Venues",
                type: "bytea",
                nullable: false,
                defaultValue: new byte[0]);

            migrationBuilder.AddColumn<byte[]>(
                name: "SealedOwnerPhone",
                table: "Venues",
                type: "bytea",
                nullable: false,
                defaultValue: new byte[0]);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "ReporterErasedAt",
                table: "Reports",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<byte[]>(
                name: "ReporterPhoneHash",
                table: "Reports",
                type: "bytea",
                maxLength: 32,
                nullable: true);

            migrationBuilder.AddColumn<byte[]>(
                name: "SealedChannelAddress",
                table: "Reports",
                type: "bytea",
                nullable: true);

            migrationBuilder.AddColumn<byte[]>(
                name: "SealedReporterEmail",
                table: "Reports",
                type: "bytea",
                nullable: true);

            migrationBuilder.AddColumn<byte[]>(
                name: "SealedReporterName",
                table: "Reports",
                type: "bytea",
                nullable: true);

            migrationBuilder.AddColumn<byte[]>(
                name: "SealedReporterPhone",
                table: "Reports",
                type: "bytea",
                nullable: true);

            migrationBuilder.AddColumn<byte[]>(
                name: "CallerPhoneHash",
                table: "Calls",
                type: "bytea",
                maxLength: 32,
                nullable: false,
                defaultValue: new byte[0]);

            migrationBuilder.AddColumn<byte[]>(
                name: "SealedCallerPhone",
                table: "Calls",
                type: "bytea",
                nullable: false,
                defaultValue: new byte[0]);

            migrationBuilder.CreateIndex(
                name: "IX_Venues_OwnerPhoneHash",
                table: "Venues",
                column: "OwnerPhoneHash");

            migrationBuilder.CreateIndex(
                name: "IX_Reports_ReporterPhoneHash",
                table: "Reports",
                column: "ReporterPhoneHash");

            migrationBuilder.CreateIndex(
                name: "IX_Calls_CallerPhoneHash_StartedAt",
                table: "Calls",
                columns: new[] { "CallerPhoneHash", "StartedAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Venues_OwnerPhoneHash",
                table: "Venues");

            migrationBuilder.DropIndex(
                name: "IX_Reports_ReporterPhoneHash",
                table: "Reports");

            migrationBuilder.DropIndex(
                name: "IX_Calls_CallerPhoneHash_StartedAt",
                table: "Calls");

            migrationBuilder.DropColumn(
                name: "OwnerPhoneHash",
                table: "Venues");

            migrationBuilder.DropColumn(
                name: "SealedOwnerName",
                table: "Venues");

            migrationBuilder.DropColumn(
                name: "SealedOwnerPhone",
                table: "Venues");

            migrationBuilder.DropColumn(
                name: "ReporterErasedAt",
                table: "Reports");

            migrationBuilder.DropColumn(
                name: "ReporterPhoneHash",
                table: "Reports");

            migrationBuilder.DropColumn(
                name: "SealedChannelAddress",
                table: "Reports");

            migrationBuilder.DropColumn(
                name: "SealedReporterEmail",
                table: "Reports");

            migrationBuilder.DropColumn(
                name: "SealedReporterName",
                table: "Reports");

            migrationBuilder.DropColumn(
                name: "SealedReporterPhone",
                table: "Reports");

            migrationBuilder.DropColumn(
                name: "CallerPhoneHash",
                table: "Calls");

            migrationBuilder.DropColumn(
                name: "SealedCallerPhone",
                table: "Calls");
        }
    }
}
