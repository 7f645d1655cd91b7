package io.warpsentinel.cloudflare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.warpsentinel.finding.Device;
import io.warpsentinel.secrets.FailureText;
import io.warpsentinel.secrets.Secrets;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** A page of physical devices, read in the pass that checks it or, past the records a pass keeps, in a second. */
class DevicePagesTest {

    private final DevicePages pages = new DevicePages(new FailureText(Secrets.global()));

    private DevicePages.Page read(int status, String body) throws IOException {
        return pages.read("acc-1", status, PageBody.read(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8))));
    }

    private static String page(String records, String cursor) {
        return "{\"success\":true,\"errors\":[],\"result\":[" + records + "],\"result_info\":{\"cursor\":" + cursor + "}}";
    }

    private static String device(int n) {
        return "{\"id\":\"dev-" + n + "\",\"device_type\":\"mac\",\"os_version\":\"14." + n + "\",\"hardware\":{\"cpu\":\"x\"},"
                + "\"manufacturer\":\"Apple\",\"model\":\"MacBook\",\"serial_number\":\"S" + n + "\",\"last_seen_at\":\"2026-11-30T00:00:00Z\"}";
    }

    @Test
    void aSmallPageIsReadWithItsFieldsAndWithoutWhatNamesNoDevice() throws IOException {
        DevicePages.Page page = read(200, page(device(1) + ",\"not a device\"," + "{\"model\":\"no id\"}," + device(2), "\"next\""));

        assertThat(page.devices()).extracting(Device::id).containsExactly("dev-1", "dev-2");
        assertThat(page.devices().get(1)).isEqualTo(new Device("dev-2", "mac", "14.2", "Apple", "MacBook", "S2", "2026-11-30T00:00:00Z", null));
        assertThat(page.nextCursor()).isEqualTo("next");
    }

    @Test
    void aPageLargerThanAPassKeepsIsReadWholeInASecond() throws IOException {
        int count = RegistrationsPageParser.KEPT_RECORDS + 2;
        String records = IntStream.range(0, count).mapToObj(n -> n == 7 ? "42" : device(n)).collect(Collectors.joining(","));

        DevicePages.Page page = read(200, page(records, "null"));

        assertThat(page.devices()).hasSize(count - 1);
        assertThat(page.devices().get(count - 2)).isEqualTo(new Device("dev-" + (count - 1), "mac", "14." + (count - 1), "Apple", "MacBook",
                "S" + (count - 1), "2026-11-30T00:00:00Z", null));
        assertThat(page.nextCursor()).isNull();
    }

    @Test
    void aValueTooLongToReadMakesThePageUnreadableNotMalformed() {
        String huge = "x".repeat(1_000_001);
        String body = page(device(1) + ",{\"id\":\"dev-2\",\"os_version\":\"" + huge + "\"}", "null");

        assertThatThrownBy(() -> read(200, body)).isInstanceOf(TransientApiException.class).hasMessageContaining("unreadable");
    }

    @Test
    void aPageThatFailsIsNeverHalfRead() {
        assertThatThrownBy(() -> read(200, "{\"success\":false,\"errors\":[{\"code\":7003,\"message\":\"No route\"}],\"result\":[" + device(1) + "]}"))
                .isInstanceOf(CloudflareApiException.class).hasMessageContaining("success=false").hasMessageContaining("7003");
        assertThatThrownBy(() -> read(503, "{\"success\":false,\"errors\":[],\"result\":null}")).isInstanceOf(TransientApiException.class);
        assertThatThrownBy(() -> read(200, page(device(1), "null").replace("\"success\":true,", "\"success\":true,\"success\":true,")))
                .hasMessageContaining("the field 'success' twice");
    }
}
