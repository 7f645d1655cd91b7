package io.warpsentinel;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The PostgreSQL of the tests: `.ci/run` starts the server and exports
 * WARP_SENTINEL_TEST_POSTGRES_URL, _USER and _PASSWORD. Without them a test that needs it is
 * skipped on a developer's machine, never on CI.
 *
 * <p>A test class that needs it is annotated {@code @ExtendWith(TestPostgres.class)}. Each of its
 * tests is skipped on its own, before any of its set-up runs (a Camel context started for
 * nothing, a connection that cannot be made): skipping the class as a whole, from a
 * {@code @BeforeAll}, made Maven report "Tests run: 0" instead of the tests skipped.
 */
public final class TestPostgres implements ExecutionCondition {

    public static final String URL = System.getenv("WARP_SENTINEL_TEST_POSTGRES_URL");
    public static final String USER = System.getenv().getOrDefault("WARP_SENTINEL_TEST_POSTGRES_USER", "");
    public static final String PASSWORD = System.getenv().getOrDefault("WARP_SENTINEL_TEST_POSTGRES_PASSWORD", "");

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        if (URL != null && !URL.isBlank()) {
            return ConditionEvaluationResult.enabled("WARP_SENTINEL_TEST_POSTGRES_URL is set");
        }
        if ("true".equals(System.getenv("CI"))) {
            assertThat(URL).as("CI runs the PostgreSQL tests: .ci/run exports WARP_SENTINEL_TEST_POSTGRES_URL").isNotBlank();
        }
        // the class itself runs (its @BeforeAll has nothing to do with the database), so that each test is counted as skipped
        return context.getTestMethod().isEmpty() ? ConditionEvaluationResult.enabled("each test is judged on its own")
                : ConditionEvaluationResult.disabled("WARP_SENTINEL_TEST_POSTGRES_URL is not set (bash .ci/run sets it)");
    }
}
