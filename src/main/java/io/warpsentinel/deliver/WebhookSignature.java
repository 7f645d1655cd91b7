package io.warpsentinel.deliver;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * {@code HMAC-SHA256(secret, timestamp + "." + body)}, hex-encoded: the receiver recomputes it
 * over the raw body it got and the timestamp header, compares in constant time, and refuses a
 * timestamp too far from its own clock, so a captured request cannot be replayed later.
 */
public final class WebhookSignature {

    public static final String TIMESTAMP_HEADER = "X-Warp-Sentinel-Timestamp";
    public static final String SIGNATURE_HEADER = "X-Warp-Sentinel-Signature";

    private WebhookSignature() {
    }

    public static String sign(String secret, long timestamp, String body) {
        return sign(secret, timestamp, body.getBytes(StandardCharsets.UTF_8));
    }

    public static String sign(String secret, long timestamp, byte[] body) {
        Mac mac = mac(secret, timestamp);
        return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
    }

    /** The same over a body sent from a file (the whole JSON report), read in chunks. */
    public static String sign(String secret, long timestamp, Path body) {
        Mac mac = mac(secret, timestamp);
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = Files.newInputStream(body)) {
            for (int read = in.read(buffer); read > 0; read = in.read(buffer)) {
                mac.update(buffer, 0, read);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return "sha256=" + HexFormat.of().formatHex(mac.doFinal());
    }

    private static Mac mac(String secret, long timestamp) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update((timestamp + ".").getBytes(StandardCharsets.UTF_8));
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available in this JVM", e);
        }
    }
}
