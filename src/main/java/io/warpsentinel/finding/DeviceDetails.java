package io.warpsentinel.finding;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Whether an account's findings carry their devices' details ({@code sentinel.devices.enrich}):
 * complete, or unavailable and why (Cloudflare refused the inventory, a fault after the retries,
 * more requests than the listing took, or the look-up turned off). The report is complete either
 * way; this says what its device columns are worth.
 *
 * @param reason why the details are unavailable; null when complete
 */
public record DeviceDetails(boolean complete, String reason, long devices, int requests) {

    /** The reason when the look-up is turned off. */
    public static final String OFF = "sentinel.devices.enrich is false";

    public static DeviceDetails complete(long devices, int requests) {
        return new DeviceDetails(true, null, devices, requests);
    }

    public static DeviceDetails unavailable(String reason, int requests) {
        return new DeviceDetails(false, reason, 0, requests);
    }

    /** The JSON report's {@code device_details}: {@code {"status":"complete","devices":12,"requests":1}}, or unavailable and why. */
    public Map<String, Object> summary() {
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("status", complete ? "complete" : "unavailable");
        if (complete) {
            summary.put("devices", devices);
        } else {
            summary.put("reason", reason);
        }
        summary.put("requests", requests);
        return summary;
    }
}
