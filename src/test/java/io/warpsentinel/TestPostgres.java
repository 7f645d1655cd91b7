package io.warpsentinel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The PostgreSQL of the tests: `.ci/run` starts the server and exports
 * WARP_SENTINEL_TEST_POSTGRES_URL, _USER and _PASSWORD. Without them a test that needs it is
 * skipped on a developer's machine, never on CI.
 */
public final class TestPostgres {

    public static final String URL = System.getenv("WARP_SENTINEL_TEST_POSTGRES_URL");
    public static final String USER = System.getenv().getOrDefault("WARP_SENTINEL_TEST_POSTGRES_USER", "");
    public static final String PASSWORD = System.getenv().getOrDefault("WARP_SENTINEL_TEST_POSTGRES_PASSWORD", "");

    private TestPostgres() {
    }

    /** Call from a {@code @BeforeAll}: fails on CI without the server, skips the class elsewhere. */
    public static void required() {
        if ("true".equals(System.getenv("CI"))) {
            assertThat(URL).as("CI runs the PostgreSQL tests: .ci/run exports WARP_SENTINEL_TEST_POSTGRES_URL").isNotBlank();
        }
        assumeTrue(URL != null && !URL.isBlank(), "WARP_SENTINEL_TEST_POSTGRES_URL is not set (bash .ci/run sets it)");
    }
}
