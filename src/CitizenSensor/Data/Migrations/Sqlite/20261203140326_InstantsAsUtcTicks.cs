using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CitizenSensor.Data.Migrations.Sqlite
{
    /// <summary>
    /// Instants were stored with EF's DateTimeOffsetToBinaryConverter: the local ticks divided by 1,000, shifted left
    /// 11 bits, with the offset in minutes (11-bit two's complement) in the low bits. Such values do not order as
    /// instants when offsets differ. This rewrites every DateTimeOffset column as UTC ticks (see <see cref="UtcTicksConverter"/>).
    /// </summary>
    public partial class InstantsAsUtcTicks : Migration
    {
        /// <summary>Every DateTimeOffset column of the model at this migration (generated once from the model snapshot).</summary>
        public static readonly (string Table, string Column)[] Columns =
        [
            ("ApiTokens", "CreatedAt"),
            ("ApiTokens", "ExpiresAt"),
            ("ApiTokens", "LastUsedAt"),
            ("ApiTokens", "RevokedAt"),
            ("AspNetUsers", "CreatedAt"),
            ("AspNetUsers", "LockoutEnd"),
            ("AuditEntries", "At"),
            ("BusinessReminders", "LoggedAt"),
            ("Businesses", "ImportedAt"),
            ("Businesses", "QrCreatedAt"),
            ("Businesses", "SuspendedAt"),
            ("Businesses", "SuspensionLiftedAt"),
            ("Businesses", "SuspensionProposedAt"),
            ("Calls", "AnsweredAt"),
            ("Calls", "EndedAt"),
            ("Calls", "StartedAt"),
            ("CategoryCorrections", "At"),
            ("CheckIns", "At"),
            ("CheckIns", "CheckOutAt"),
            ("DeclarationPartners", "CreatedAt"),
            ("DeclarationPartners", "RevokedAt"),
            ("Declarations", "At"),
            ("EmailMessagesSeen", "At"),
            ("FollowUpTasks", "ClosedAt"),
            ("FollowUpTasks", "CreatedAt"),
            ("FollowUpTasks", "DueAt"),
            ("FollowUpTasks", "EscalatedAt"),
            ("FollowUpTasks", "UpdatedAt"),
            ("MessengerConversations", "UpdatedAt"),
            ("MessengerMessagesSeen", "At"),
            ("Open311Clients", "CreatedAt"),
            ("Open311Clients", "RevokedAt"),
            ("QuestionnaireVersions", "CreatedAt"),
            ("ReportEvents", "At"),
            ("ReportFollowers", "ConfirmationSentAt"),
            ("ReportFollowers", "ConfirmedAt"),
            ("ReportFollowers", "CreatedAt"),
            ("ReportNotes", "At"),
            ("Reports", "CalledBackAt"),
            ("Reports", "ClassifiedAt"),
            ("Reports", "DueAt"),
            ("Reports", "EscalatedAt"),
            ("Reports", "ProcessingLeaseUntil"),
            ("Reports", "ResolvedAt"),
            ("Reports", "RoutedAt"),
            ("Reports", "SubmittedAt"),
            ("Venues", "ClosedAt"),
            ("Venues", "CreatedAt"),
            ("WebhookDeliveries", "CreatedAt"),
            ("WebhookDeliveries", "DeliveredAt"),
            ("WebhookDeliveries", "GaveUpAt"),
            ("WebhookDeliveries", "LeaseUntil"),
            ("WebhookDeliveries", "NextAttemptAt"),
        ];

        /// <summary>UTC ticks from the old encoding: local ticks less the offset (minutes, sign-extended from 11 bits).</summary>
        public static string FromBinarySql(string column) =>
            $"((\"{column}\" >> 11) * 1000 - (((\"{column}\" & 2047) + 1024) % 2048 - 1024) * 600000000)";

        /// <summary>The old encoding at offset zero from UTC ticks (for going back; the instant is kept, the offset is not).</summary>
        public static string ToBinarySql(string column) => $"((\"{column}\" / 1000) << 11)";

        /// <summary>Rewrites one column; NULLs stay NULL.</summary>
        public static string Rewrite(string table, string column, Func<string, string> expression) =>
            $"UPDATE \"{table}\" SET \"{column}\" = {expression(column)} WHERE \"{column}\" IS NOT NULL;";

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            foreach (var (table, column) in Columns)
            {
                migrationBuilder.Sql(Rewrite(table, column, FromBinarySql));
            }
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            foreach (var (table, column) in Columns)
            {
                migrationBuilder.Sql(Rewrite(table, column, ToBinarySql));
            }
        }
    }
}
