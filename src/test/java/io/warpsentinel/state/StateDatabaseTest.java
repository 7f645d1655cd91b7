package io.warpsentinel.state;

import static io.warpsentinel.TestPostgres.PASSWORD;
import static io.warpsentinel.TestPostgres.URL;
import static io.warpsentinel.TestPostgres.USER;
import static org.assertj.core.api.Assertions.assertThat;

import io.warpsentinel.TestPostgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The migrations on the databases an upgrade meets: empty, set up before migrations (whole or older), clustered or not. */
@ExtendWith(TestPostgres.class)
class StateDatabaseTest {

    @BeforeEach
    void emptyDatabase() throws SQLException {
        sql("DROP TABLE IF EXISTS warp_sentinel_finding, warp_sentinel_scan, warp_sentinel_removal, " + StateDatabase.HISTORY_TABLE
                + ", qrtz_fired_triggers, qrtz_paused_trigger_grps, qrtz_scheduler_state, qrtz_locks, qrtz_simple_triggers, qrtz_cron_triggers, "
                + "qrtz_simprop_triggers, qrtz_blob_triggers, qrtz_triggers, qrtz_job_details, qrtz_calendars");
    }

    @Test
    void anEmptyDatabaseGetsTheFindingStateAndOnlyAClusterMemberGetsQuartzsTables() throws SQLException {
        migrate(false);
        assertThat(tables()).contains("warp_sentinel_finding", "warp_sentinel_scan").noneMatch(table -> table.startsWith("qrtz_"));
        assertThat(tables()).contains("warp_sentinel_removal");
        assertThat(applied()).containsExactly("1", "3");

        migrate(true);
        assertThat(tables()).contains("qrtz_triggers", "qrtz_scheduler_state");
        assertThat(applied()).as("the cluster's migration after the finding state's later one").containsExactly("1", "3", "2");

        migrate(false);
        assertThat(applied()).as("the cluster turned off again: its migration stays, and is no error").containsExactly("1", "3", "2");
    }

    @Test
    void aClusterDatabaseThatHadOnlyTheFirstTwoMigrationsGetsTheThird() throws SQLException {
        // as a cluster member of the version before removals were kept left it
        migrate(true);
        sql("DROP TABLE warp_sentinel_removal");
        sql("DELETE FROM " + StateDatabase.HISTORY_TABLE + " WHERE version = '3'");
        assertThat(applied()).containsExactly("1", "2");

        migrate(true);

        assertThat(applied()).containsExactly("1", "2", "3");
        assertThat(tables()).contains("warp_sentinel_removal");
    }

    @Test
    void aCompleteDatabaseFromBeforeMigrationsIsTakenOverWithoutAlteringIt() throws SQLException {
        sql("CREATE TABLE warp_sentinel_scan (account_id VARCHAR(64) PRIMARY KEY, last_complete_scan BIGINT NOT NULL, registrations BIGINT)");
        sql("CREATE TABLE warp_sentinel_finding (account_id VARCHAR(64) NOT NULL, registration_id VARCHAR NOT NULL, reason VARCHAR(16) "
                + "NOT NULL, finding_since BIGINT NOT NULL, alerted_at BIGINT, owner_noticed_at BIGINT, device_name VARCHAR, "
                + "user_email VARCHAR, last_seen_at VARCHAR, acted VARCHAR(16), acted_at BIGINT, PRIMARY KEY (account_id, registration_id))");
        sql("INSERT INTO warp_sentinel_scan VALUES ('acc-1', 1, 3)");

        migrate(false);

        assertThat(applied()).as("baselined at 1: the first migration, which would alter the tables, is not run").containsExactly("3");
        assertThat(baseline()).isEqualTo("1");
        assertThat(count("warp_sentinel_scan")).isEqualTo(1);
    }

    @Test
    void anOlderDatabaseFromBeforeMigrationsGetsTheColumnsItLacks() throws SQLException {
        sql("CREATE TABLE warp_sentinel_scan (account_id VARCHAR(64) PRIMARY KEY, last_complete_scan BIGINT NOT NULL)");
        sql("CREATE TABLE warp_sentinel_finding (account_id VARCHAR(64) NOT NULL, registration_id VARCHAR NOT NULL, reason VARCHAR(16) "
                + "NOT NULL, finding_since BIGINT NOT NULL, alerted_at BIGINT, owner_noticed_at BIGINT, device_name VARCHAR, "
                + "user_email VARCHAR, last_seen_at VARCHAR, PRIMARY KEY (account_id, registration_id))");
        sql("INSERT INTO warp_sentinel_scan VALUES ('acc-1', 1)");

        migrate(false);

        assertThat(baseline()).isEqualTo("0");
        assertThat(applied()).containsExactly("1", "3");
        assertThat(count("warp_sentinel_scan")).as("its rows kept").isEqualTo(1);
        sql("UPDATE warp_sentinel_finding SET acted = 'revoke', acted_at = 1");
        sql("UPDATE warp_sentinel_scan SET registrations = 3");
    }

    private static void migrate(boolean clustered) throws SQLException {
        try (StateDatabase database = new StateDatabase(URL, USER, PASSWORD, 2, clustered); Connection connection = database.connection()) {
            assertThat(connection.isValid(5)).isTrue();
        }
    }

    private static List<String> tables() throws SQLException {
        return strings("SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()");
    }

    /** Versions applied by migration, baseline left out. */
    private static List<String> applied() throws SQLException {
        return strings("SELECT version FROM " + StateDatabase.HISTORY_TABLE + " WHERE type = 'SQL' ORDER BY installed_rank");
    }

    private static String baseline() throws SQLException {
        List<String> baselines = strings("SELECT version FROM " + StateDatabase.HISTORY_TABLE + " WHERE type = 'BASELINE'");
        return baselines.isEmpty() ? null : baselines.get(0);
    }

    private static long count(String table) throws SQLException {
        return Long.parseLong(strings("SELECT count(*) FROM " + table).get(0));
    }

    private static List<String> strings(String query) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Connection connection = DriverManager.getConnection(URL, USER, PASSWORD); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(query)) {
            while (rows.next()) {
                values.add(rows.getString(1));
            }
        }
        return values;
    }

    private static void sql(String statement) throws SQLException {
        try (Connection connection = DriverManager.getConnection(URL, USER, PASSWORD); Statement sql = connection.createStatement()) {
            sql.execute(statement);
        }
    }
}
