package io.warpsentinel.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SecretsTest {

    private final Secrets secrets = new Secrets();

    @Test
    void aWebhookUrlIsRedactedByItsPartsHoweverItIsRewritten() {
        secrets.addUrl("https://chat.googleapis.com/v1/spaces/AAAA/messages?key=AIzaSyKey-0123456789&token=tok%2Fen-0123456789");

        // Camel reorders the parameters and decodes them; the client names only the host
        assertThat(secrets.redact("HTTP operation failed invoking https://chat.googleapis.com/v1/spaces/AAAA/messages?token=tok/en-0123456789"
                + "&key=AIzaSyKey-0123456789 with statusCode: 503"))
                .isEqualTo("HTTP operation failed invoking https://chat.googleapis.com/[redacted] with statusCode: 503");
        assertThat(secrets.redact("the key AIzaSyKey-0123456789 alone, and tok/en-0123456789"))
                .isEqualTo("the key [redacted] alone, and [redacted]");
        assertThat(secrets.redact("Connect to https://chat.googleapis.com:443 failed")).isEqualTo("Connect to https://chat.googleapis.com:443 failed");
        assertThat(secrets.redact("https://other.example.com/v1/spaces?x=1")).as("another host keeps its URL")
                .isEqualTo("https://other.example.com/v1/spaces?x=1");
    }

    @Test
    void userInfoAndLongPathSegmentsAreSecretsShortOnesAreWords() {
        secrets.addUrl("https://ops:pa55word-0123@hooks.example.com/services/T0123/B0456/abcdefghijklmnopqrstuvwx");

        assertThat(secrets.redact("user ops:pa55word-0123 and pa55word-0123")).isEqualTo("user [redacted] and [redacted]");
        assertThat(secrets.redact("path abcdefghijklmnopqrstuvwx")).isEqualTo("path [redacted]");
        assertThat(secrets.redact("services are up")).isEqualTo("services are up");
        // as HttpClient prints the header the Pushgateway's push sends them in
        assertThat(secrets.redact("Authorization: Basic " + java.util.Base64.getEncoder().encodeToString("ops:pa55word-0123".getBytes())))
                .isEqualTo("Authorization: Basic [redacted]");
    }

    @Test
    void aSecretIsAlsoFoundJsonEscaped() {
        secrets.add("pa\"ss\\word-0123");
        assertThat(secrets.redact("{\"password\":\"pa\\\"ss\\\\word-0123\"}")).isEqualTo("{\"password\":\"[redacted]\"}");
    }
}
