package io.warpsentinel.demo;

import static io.warpsentinel.settings.SettingGroup.DEMO;

import io.warpsentinel.settings.Setting;
import io.warpsentinel.settings.SettingsSource;
import java.time.Clock;
import java.util.List;
import org.apache.camel.Service;
import org.apache.camel.support.service.ServiceSupport;

/** The simulated Cloudflare API the demo profile scans instead of Cloudflare. */
public record DemoSettings(boolean enabled, int port, int registrations) {

    public static final Setting<Boolean> ENABLED = DEMO.flag("sentinel.demo.enabled", "false",
            "Serve a simulated Cloudflare API from inside the app and scan it instead of Cloudflare; turned on by the demo profile.");
    public static final Setting<Integer> PORT = DEMO.count("sentinel.demo.port", "18787", 1, "Loopback port of the simulated API.");
    public static final Setting<Integer> REGISTRATIONS = DEMO.count("sentinel.demo.registrations", "3000", 1,
            "Simulated registrations per account.");

    public static final List<Setting<?>> ALL = List.of(ENABLED, PORT, REGISTRATIONS);

    public static DemoSettings read(SettingsSource source) {
        return new DemoSettings(ENABLED.read(source), PORT.read(source), REGISTRATIONS.read(source));
    }

    /** Runs the demo API for as long as Camel runs, so the scan routes find it up when they start. */
    public Service service(Clock clock) {
        DemoCloudflareApi api = new DemoCloudflareApi(registrations, clock);
        return new ServiceSupport() {
            @Override
            protected void doStart() throws Exception {
                api.start(port);
            }

            @Override
            protected void doStop() {
                api.close();
            }
        };
    }
}
