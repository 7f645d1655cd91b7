package io.warpsentinel.http;

import static io.warpsentinel.settings.SettingGroup.HTTP;

import io.warpsentinel.settings.Setting;
import io.warpsentinel.settings.SettingsSource;
import java.time.Duration;
import java.util.List;

/** The bounds of every HTTP exchange: to connect, between two bytes, for the answer to start, and for the whole of it. */
public record HttpSettings(int connectTimeout, int soTimeout, int responseTimeout, Duration timeout, int maxResponseBytes) {

    public static final Setting<Integer> CONNECT_TIMEOUT = HTTP.count("camel.component.http.connect-timeout", "10000", 1,
            "Milliseconds to open a connection.");
    public static final Setting<Integer> SO_TIMEOUT = HTTP.count("camel.component.http.so-timeout", "60000", 1,
            "Milliseconds of silence allowed while reading an answer.");
    public static final Setting<Integer> RESPONSE_TIMEOUT = HTTP.count("camel.component.http.response-timeout", "60000", 1,
            "Milliseconds to wait for an answer to start.");
    public static final Setting<Duration> TIMEOUT = HTTP.duration("sentinel.http.timeout", "PT2M",
            "Longest time one HTTP exchange (a Cloudflare page, a webhook) may take in all, from the request to the last byte of "
                    + "the answer: a server that drips its answer is cut off. A page's answer must also arrive within what is left "
                    + "of sentinel.scan-timeout.");
    public static final Setting<Integer> MAX_RESPONSE_BYTES = HTTP.count("sentinel.http.max-response-bytes", "67108864", 1,
            "Largest answer read, in bytes (64 MB); a Cloudflare page past it fails the account's scan clearly (a page of 1,000 "
                    + "registrations is about 700 KB).");

    public static final List<Setting<?>> ALL = List.of(CONNECT_TIMEOUT, SO_TIMEOUT, RESPONSE_TIMEOUT, TIMEOUT, MAX_RESPONSE_BYTES);

    public static HttpSettings read(SettingsSource source) {
        return new HttpSettings(CONNECT_TIMEOUT.read(source), SO_TIMEOUT.read(source), RESPONSE_TIMEOUT.read(source),
                TIMEOUT.read(source), MAX_RESPONSE_BYTES.read(source));
    }
}
