package io.warpsentinel;

/** Opens {@link HeadlessChromium} to the benchmark's code, which lives in another package. */
public final class BrowserAccess {

    private BrowserAccess() {
    }

    public static Browser start() throws Exception {
        return new Browser(HeadlessChromium.start());
    }

    /** The page-level operations the benchmark needs. */
    public record Browser(HeadlessChromium chromium) implements AutoCloseable {
        public void open(java.nio.file.Path page) throws Exception {
            chromium.open(page);
        }

        public com.fasterxml.jackson.databind.JsonNode evaluate(String expression) throws Exception {
            return chromium.evaluate(expression);
        }

        @Override
        public void close() throws Exception {
            chromium.close();
        }
    }
}
