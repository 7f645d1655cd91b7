package io.warpsentinel;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * A scan through the real routes whose pages a test then opens in headless Chromium, one browser
 * for the test class: skipped without Chromium on a developer's machine, failed without it on CI
 * ({@link HeadlessChromium#startForTest()}).
 */
abstract class BrowserTestSupport extends ScanRouteTestSupport {

    protected static HeadlessChromium chromium;

    @BeforeAll
    static void startChromium() throws Exception {
        chromium = HeadlessChromium.startForTest();
    }

    @AfterAll
    static void closeChromium() throws Exception {
        if (chromium != null) {
            chromium.close();
            chromium = null;
        }
    }

    /** The value of a JavaScript expression in the open page (a promise is awaited). */
    protected static JsonNode js(String expression) throws Exception {
        return chromium.evaluate(expression);
    }
}
