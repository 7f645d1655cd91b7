package io.warpsentinel.demo;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The physical devices of a {@link DemoFleet} (API-NOTES.md, "Physical devices"), derived from
 * their slots: a device is the slot of a lifecycle registration or the first slot of a group,
 * its id is the {@code device.id} of its registrations, and what it says of them (the active
 * ones, the last contact and its user) is read off the registrations listed that day, the API's
 * revokes, deletes and new enrolments included. Its hardware comes from the kind of machine its
 * name suggests; some hold what a report must not trust: a serial number that a spreadsheet runs
 * as a formula (every 83rd device), a model that is HTML (every 97th) or markdown (every 89th),
 * values of thousands of characters (every 211th), and no hardware details at all (every 53rd).
 */
final class DemoDevices {

    /** One kind of machine: its type, the makers and models, the OS versions and what Cloudflare adds to them. */
    private record Hardware(String type, String[][] models, String[][] systems) { }

    private static final Hardware WINDOWS = new Hardware("windows",
            new String[][] {{"Dell Inc.", "Latitude 7440"}, {"LENOVO", "ThinkPad T14 Gen 4"}, {"HP", "EliteBook 840 G10"}},
            new String[][] {{"10.0.22631", "23H2"}, {"10.0.26100", "24H2"}, {"10.0.19045", "22H2"}});
    private static final Hardware MAC = new Hardware("mac",
            new String[][] {{"Apple Inc.", "MacBookPro18,3"}, {"Apple Inc.", "Mac14,2"}},
            new String[][] {{"14.6.1", "23G93"}, {"15.1.0", "24B83"}});
    private static final Hardware LINUX = new Hardware("linux",
            new String[][] {{"LENOVO", "ThinkPad X1 Carbon Gen 11"}, {"Framework", "Laptop 13"}, {"QEMU", "Standard PC (Q35 + ICH9, 2009)"}},
            new String[][] {{"6.8.0-45-generic", "Ubuntu 24.04.1 LTS"}, {"6.1.0-25-amd64", "Debian GNU/Linux 12 (bookworm)"}});
    private static final Hardware ANDROID = new Hardware("android",
            new String[][] {{"Google", "Pixel 8 Pro"}, {"samsung", "SM-S921B"}},
            new String[][] {{"14", "AP2A.240905.003"}, {"15", "AP3A.241005.015"}});
    private static final Hardware IOS = new Hardware("ios",
            new String[][] {{"Apple Inc.", "iPad13,1"}, {"Apple Inc.", "iPhone15,2"}},
            new String[][] {{"17.6.1", null}, {"18.1", null}});
    private static final Hardware CHROMEOS = new Hardware("chromeos",
            new String[][] {{"HP", "Chromebook x360 14c"}, {"Acer", "Chromebook Spin 714"}},
            new String[][] {{"126.0.6478.132", null}, {"129.0.6668.110", null}});
    /** By DemoFleet's device names, in their order: a MacBook, a build agent, a kiosk... */
    private static final Hardware[] BY_NAME = {MAC, LINUX, CHROMEOS, WINDOWS, LINUX, WINDOWS, WINDOWS, ANDROID, IOS, LINUX, MAC, WINDOWS};
    private static final String LONG = "long-value-".repeat(400);

    private final DemoFleet fleet;

    DemoDevices(DemoFleet fleet) {
        this.fleet = fleet;
    }

    /** The slots a device listing walks: the fleet's. */
    int size() {
        return fleet.slots();
    }

    /** Whether slot {@code slot} is a device's (a lifecycle slot, or a group's first). */
    boolean isDevice(int slot) {
        return slot >= 0 && slot < fleet.slots() && fleet.caseOf(slot).anchor(slot) == slot;
    }

    /** The slot of a device id of this fleet, or -1. */
    int indexOf(String deviceId) {
        int slot = DemoFleet.parseIndex(deviceId, "dev-");
        return isDevice(slot) && fleet.deviceId(slot).equals(deviceId) ? slot : -1;
    }

    /** Its registrations listed today (revoked ones included). */
    List<DemoRegistration> registrations(int device) {
        return fleet.registrationsOf(device, fleet.caseOf(device).members(device, fleet.slots()));
    }

    static int active(List<DemoRegistration> registrations) {
        return (int) registrations.stream().filter(registration -> !registration.isRevoked()).count();
    }

    void write(JsonGenerator json, int device, List<DemoRegistration> registrations) throws IOException {
        DemoRegistration lastSeen = null;
        for (DemoRegistration registration : registrations) {
            String text = fleet.lastSeenText(registration);
            boolean readable = text != null && !text.startsWith("not-");
            if (readable && (lastSeen == null || registration.lastSeen() > lastSeen.lastSeen())) {
                lastSeen = registration;
            }
        }
        SplittableRandom random = fleet.deviceRandom(device);
        long created = fleet.now() - (fleet.day() + 700L + random.nextInt(300)) * DemoFleet.DAY - random.nextInt(DemoFleet.DAY);
        Hardware hardware = BY_NAME[DemoFleet.deviceModel(device)];
        String[] model = hardware.models()[random.nextInt(hardware.models().length)];
        String[] system = hardware.systems()[random.nextInt(hardware.systems().length)];
        long bits = random.nextLong();
        long more = random.nextLong();
        boolean bare = device % 53 == 0;
        json.writeStartObject();
        json.writeStringField("id", fleet.deviceId(device));
        json.writeStringField("name", DemoFleet.deviceName(device));
        json.writeStringField("created_at", DemoFleet.timestamp(created, 0));
        json.writeStringField("updated_at", DemoFleet.timestamp(lastSeen == null ? created : Math.max(created, lastSeen.lastSeen()), 0));
        json.writeNumberField("active_registrations", active(registrations));
        if (lastSeen == null) {
            json.writeNullField("last_seen_at");
        } else {
            // the very text of that registration's last_seen_at
            json.writeStringField("last_seen_at", fleet.lastSeenText(lastSeen));
        }
        text(json, "device_type", bare ? null : hardware.type());
        text(json, "os_version", bare ? null : system[0]);
        text(json, "os_version_extra", bare ? null : device % 211 == 19 ? LONG : system[1]);
        text(json, "manufacturer", bare ? null : device % 211 == 19 ? model[0] + " " + LONG : model[0]);
        text(json, "model", bare ? null : device % 97 == 13 ? "<img src=x onerror=alert(1)>"
                : device % 89 == 17 ? "[click](https://evil.example)" : model[1]);
        text(json, "serial_number", bare ? null : device % 83 == 5 ? "=cmd|' /C calc'!A0" : String.format("SN%010X", bits >>> 24));
        text(json, "hardware_id", bare ? null : String.format("%016x%016x", bits, more));
        text(json, "mac_address", bare ? null : String.format("02:%02x:%02x:%02x:%02x:%02x",
                more & 0xff, (more >>> 8) & 0xff, (more >>> 16) & 0xff, (more >>> 24) & 0xff, (more >>> 32) & 0xff));
        text(json, "client_version", lastSeen == null ? null : DemoFleet.clientVersion(lastSeen.index()));
        json.writeNullField("deleted_at");
        json.writeFieldName("last_seen_user");
        if (lastSeen == null) {
            json.writeNull();
        } else {
            fleet.writeUser(json, lastSeen.user());
        }
        json.writeEndObject();
    }

    private static void text(JsonGenerator json, String field, String value) throws IOException {
        if (value == null) {
            json.writeNullField(field);
        } else {
            json.writeStringField(field, value);
        }
    }
}
