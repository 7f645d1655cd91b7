package io.warpsentinel.classify;

import static org.assertj.core.api.Assertions.assertThat;

import io.warpsentinel.finding.Device;
import io.warpsentinel.finding.Registration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The scan's temporary files give back what was written, text of any kind included, across their read buffers. */
class RegistrationSpoolTest {

    // a surrogate pair, a character of three UTF-8 bytes, a name longer than a read buffer
    private static final String[] NAMES = {"Zoë's 💻 laptop", "机器", "n".repeat(70_000), null};

    private static Registration registration(int n) {
        return new Registration("reg-" + n, n % 5 == 0 ? null : "dev-" + n, NAMES[n % NAMES.length], "2025.1." + n, "usr-" + n % 7,
                n % 7 + "@example.com", "User " + n, "2026-01-01T00:00:00Z", "2026-11-0" + (1 + n % 9) + "T00:00:00Z",
                n % 3 == 0 ? "2026-11-20T00:00:00Z" : null, "curve25519", "wireguard", n % 2 == 0 ? "Staff" : null, null, n % 11 == 0 ? "remark" : null);
    }

    @Test
    void givesBackWhatIsSetAsideWholeAndOfWhatIsJudgedWhatNamesIt() {
        List<Long> offsets = new ArrayList<>();
        try (RegistrationSpool spool = new RegistrationSpool()) {
            for (int n = 0; n < 300; n++) {
                boolean judged = n % 2 == 1;
                offsets.add(spool.append(new RegistrationSpool.Hint(judged, n % 4 == 0, judged, n * 31L, n * 1000L), registration(n)));
            }

            List<Registration> setAside = new ArrayList<>();
            spool.setAside().forEachRemaining(setAside::add);
            assertThat(setAside).hasSize(150);
            for (int i = 0; i < setAside.size(); i++) {
                assertThat(setAside.get(i)).isEqualTo(registration(2 * i));
            }

            Iterator<RegistrationSpool.Header> headers = spool.headers();
            for (int n = 0; n < 300; n++) {
                RegistrationSpool.Header header = headers.next();
                assertThat(header.hint()).isEqualTo(new RegistrationSpool.Hint(n % 2 == 1, n % 4 == 0, n % 2 == 1, n * 31L, n * 1000L));
                assertThat(header.deviceId()).isEqualTo(registration(n).deviceId());
                assertThat(header.offset()).isEqualTo(offsets.get(n));
            }
            assertThat(headers.hasNext()).isFalse();

            Registration r = registration(7);
            assertThat(spool.read(offsets.get(7))).isEqualTo(new Registration(r.id(), r.deviceId(), null, null, r.userId(), null, null, null,
                    r.lastSeenAt(), null, null, null, null, null, null));
            assertThat(spool.read(offsets.get(6))).isEqualTo(registration(6));
        }
    }

    @Test
    void theDevicesDirectoryFindsEachDeviceAsAnswered() {
        try (DeviceDirectory devices = new DeviceDirectory()) {
            for (int n = 0; n < 100; n++) {
                devices.put(new Device("dev-" + n, "mac", NAMES[n % NAMES.length], "Apple", null, "S" + n, "2026-11-30T00:00:00Z", "1"));
            }
            devices.complete();
            assertThat(devices.find("dev-42")).isEqualTo(new Device("dev-42", "mac", NAMES[2], "Apple", null, "S42", "2026-11-30T00:00:00Z", "1"));
            assertThat(devices.find("dev-1")).isEqualTo(new Device("dev-1", "mac", NAMES[1], "Apple", null, "S1", "2026-11-30T00:00:00Z", "1"));
            assertThat(devices.find("dev-100")).isNull();
        }
    }
}
