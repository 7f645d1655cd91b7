package io.warpsentinel.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.camel.CamelExecutionException;
import org.junit.jupiter.api.Test;

class FailureTextTest {

    private final Secrets secrets = new Secrets();
    private final FailureText text = new FailureText(secrets);

    @Test
    void aHostThatDoesNotResolveIsNamedWithoutTheResolversWordsInTheMiddle() {
        assertThat(text.describe(new java.net.UnknownHostException("api.example.invalid: Name or service not known")))
                .isEqualTo("the host api.example.invalid does not resolve (Name or service not known): check the URL's host name "
                        + "(or this machine's DNS)");
        assertThat(text.describe(new java.net.UnknownHostException("api.example.invalid")))
                .isEqualTo("the host api.example.invalid does not resolve: check the URL's host name (or this machine's DNS)");
    }

    @Test
    void lineBreaksAndTerminalEscapesCannotForgeALogLine() {
        assertThat(text.clean("boom\n2026-11-28 06:00:00.000 INFO  scan-account Account x: All clear\u001b[2K\r"))
                .isEqualTo("boom\\n2026-11-28 06:00:00.000 INFO  scan-account Account x: All clear\\u001b[2K\\r")
                .doesNotContain("\n");
        assertThat(text.clean("right\u202Eto left\tand\u0000")).isEqualTo("right\\u202eto left\\tand\\u0000");
    }

    @Test
    void aServerAnsweringMegabytesIsCutToOneReadableLine() {
        String cut = text.clean("x".repeat(5_000_000));
        assertThat(cut).hasSizeLessThan(2100).endsWith("... (4,998,000 more characters)");
    }

    @Test
    void secretsAreRedactedAndBrokenTextReplaced() {
        secrets.add("the-token-0123456789");
        assertThat(text.clean("echo Bearer the-token-0123456789 a\uD800b")).isEqualTo("echo Bearer [redacted] a\uFFFDb");
    }

    @Test
    void anErrorWrappedByCamelIsDescribedByItsKind() {
        assertThat(text.describe(new CamelExecutionException("Exception occurred during execution", null,
                new OutOfMemoryError("Java heap space")))).isEqualTo("OutOfMemoryError: Java heap space");
        assertThat(text.describe(new IllegalStateException())).isEqualTo("IllegalStateException");
    }
}
