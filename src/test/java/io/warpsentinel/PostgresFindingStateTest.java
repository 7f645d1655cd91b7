package io.warpsentinel;

import static io.warpsentinel.TestPostgres.PASSWORD;
import static io.warpsentinel.TestPostgres.URL;
import static io.warpsentinel.TestPostgres.USER;
import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The same tests with the state in PostgreSQL (sentinel.state.jdbc-url), the store several
 * instances share. `.ci/run` starts the server and exports WARP_SENTINEL_TEST_POSTGRES_URL,
 * _USER and _PASSWORD; without them its tests are skipped on a developer's machine, never on CI.
 */
@ExtendWith(TestPostgres.class)
class PostgresFindingStateTest extends FindingStateTest {

    /**
     * Each test starts from an empty store, as the embedded one does in its fresh folder: no
     * tables and no migration history, so the migrations run again from the first.
     */
    @BeforeEach
    void emptyStore() throws Exception {
        try (Connection connection = DriverManager.getConnection(URL, USER, PASSWORD); Statement sql = connection.createStatement()) {
            sql.execute("DROP TABLE IF EXISTS warp_sentinel_finding, warp_sentinel_removal, warp_sentinel_scan, warp_sentinel_schema_history");
        }
    }

    @Override
    protected Properties settings() {
        Properties settings = super.settings();
        settings.put("sentinel.state.jdbc-url", URL == null ? "" : URL);
        settings.put("sentinel.state.username", USER);
        settings.put("sentinel.state.password", PASSWORD);
        return settings;
    }

    /** Every row of both tables, read straight from the database. */
    @Override
    Object storedState() throws Exception {
        Map<String, String> rows = new TreeMap<>();
        try (Connection connection = DriverManager.getConnection(URL, USER, PASSWORD); Statement sql = connection.createStatement()) {
            try (ResultSet row = sql.executeQuery("SELECT account_id, registration_id, reason, finding_since, alerted_at, "
                    + "owner_noticed_at, device_name FROM warp_sentinel_finding")) {
                while (row.next()) {
                    rows.put(row.getString(1) + "/" + row.getString(2), row.getString(3) + " " + row.getLong(4) + " "
                            + row.getString(5) + " " + row.getString(6) + " " + row.getString(7));
                }
            }
            try (ResultSet row = sql.executeQuery("SELECT account_id, last_complete_scan FROM warp_sentinel_scan")) {
                while (row.next()) {
                    rows.put("scan of " + row.getString(1), String.valueOf(row.getLong(2)));
                }
            }
        }
        assertThat(rows).containsKey("scan of acc-1");
        return rows;
    }
}
