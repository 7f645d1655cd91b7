package io.warpsentinel.demo;

import static io.warpsentinel.settings.SettingGroup.DEMO;

import io.warpsentinel.files.PrivateFiles;
import io.warpsentinel.settings.Setting;
import io.warpsentinel.settings.SettingsSource;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.apache.camel.Service;
import org.apache.camel.support.service.ServiceSupport;

/**
 * The simulated Cloudflare API the demo profile scans instead of Cloudflare.
 *
 * @param day the demo's day when pinned, or null: the day after the last in {@code stateFile}
 */
public record DemoSettings(boolean enabled, int port, int registrations, Integer day, Path stateFile, PrivateFiles files) {

    public static final Setting<Boolean> ENABLED = DEMO.flag("sentinel.demo.enabled", "false",
            "Serve a simulated Cloudflare API from inside the app and scan it instead of Cloudflare; turned on by the demo profile.");
    public static final Setting<Integer> PORT = DEMO.count("sentinel.demo.port", "18787", 1, "Loopback port of the simulated API.");
    public static final Setting<Integer> REGISTRATIONS = DEMO.count("sentinel.demo.registrations", "3000", 1,
            "Simulated registrations per account (on day 0; later days list a few more or fewer).");
    public static final Setting<Integer> DAY = DEMO.of("sentinel.demo.day", "", "a whole number of at least 0, or empty",
            "The simulated fleet's day: empty, the day after the last one in sentinel.demo.state-file, so that each demo run finds "
                    + "the fleet a day on (devices gone stale, back, revoked, deleted, enrolled); a number pins the fleet to that day "
                    + "and keeps nothing.", value -> {
                if (value.isEmpty()) {
                    return null;
                }
                int day = Integer.parseInt(value);
                if (day < 0) {
                    throw new IllegalArgumentException();
                }
                return day;
            });
    public static final Setting<String> STATE_FILE = DEMO.required("sentinel.demo.state-file",
            "{{sentinel.report.dir}}/demo-cloudflare.jsonl",
            "What the simulated API keeps from one run to the next: its day and the revokes and deletes it was asked for. Delete it "
                    + "to start again from day 0.");

    public static final List<Setting<?>> ALL = List.of(ENABLED, PORT, REGISTRATIONS, DAY, STATE_FILE);

    public static DemoSettings read(SettingsSource source) {
        return new DemoSettings(ENABLED.read(source), PORT.read(source), REGISTRATIONS.read(source), DAY.read(source),
                Path.of(STATE_FILE.read(source)), PrivateFiles.PERMISSIONS.read(source));
    }

    /** Runs the demo API for as long as Camel runs, so the scan routes find it up when they start. */
    public Service service(Clock clock) {
        return new ServiceSupport() {
            private DemoCloudflareApi api;

            @Override
            protected void doStart() throws Exception {
                api = new DemoCloudflareApi(registrations, clock, day == null ? DemoJournal.open(stateFile, files) : DemoJournal.pinned(day));
                api.start(port);
            }

            @Override
            protected void doStop() {
                if (api != null) {
                    api.close();
                }
            }
        };
    }
}
