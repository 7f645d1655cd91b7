package io.warpsentinel.cluster;

import static io.warpsentinel.settings.SettingGroup.CLUSTER;

import io.warpsentinel.settings.Setting;
import io.warpsentinel.settings.SettingException;
import io.warpsentinel.settings.SettingsSource;
import io.warpsentinel.state.StateSettings;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;

/** Whether this instance schedules its scans with the others on the shared database, and how fast it notices one gone. */
public record ClusterSettings(boolean enabled, Duration checkInInterval) {

    public static final Setting<Boolean> ENABLED = CLUSTER.flag("sentinel.cluster.enabled", "false",
            "`true`: run as one of several instances (service mode): Quartz's clustered job store on the database of "
                    + "sentinel.state.jdbc-url (required), each scheduled scan on exactly one instance, another taking over when "
                    + "one dies. `false`: this instance's schedule is its own.");
    public static final Setting<Duration> CHECK_IN_INTERVAL = CLUSTER.duration("sentinel.cluster.check-in-interval", "PT2S",
            "How often each instance tells the others it is alive. One that has been silent for this plus 7.5 s is taken for "
                    + "dead: its scheduled scan is released to the others, and a scan it was running is run again.");

    public static final List<Setting<?>> ALL = List.of(ENABLED, CHECK_IN_INTERVAL);

    /**
     * This process's name in the cluster, its run history and metrics: host name and process id,
     * unique among live instances (a Kubernetes pod's host name is its own). A restarted process
     * that gets its predecessor's name takes over what that one left unfinished.
     */
    public static String localInstanceId() {
        return localHostName() + "-" + ProcessHandle.current().pid();
    }

    /** This machine's (or pod's) host name: the instance id without its process id. */
    public static String localHostName() {
        String host = System.getenv("HOSTNAME");
        if (host == null || host.isBlank()) {
            try {
                host = InetAddress.getLocalHost().getHostName();
            } catch (UnknownHostException unnamed) {
                host = "localhost";
            }
        }
        return host;
    }

    public static ClusterSettings read(SettingsSource source) {
        ClusterSettings settings = new ClusterSettings(ENABLED.read(source), CHECK_IN_INTERVAL.read(source));
        if (settings.enabled && StateSettings.JDBC_URL.read(source).isEmpty()) {
            throw new SettingException(ENABLED.key() + "=true needs " + StateSettings.JDBC_URL.key()
                    + ": the instances of a cluster share the PostgreSQL that holds the finding state");
        }
        if (settings.checkInInterval.toMillis() < 100) {
            throw new SettingException(CHECK_IN_INTERVAL.key() + " must be at least PT0.1S, not " + settings.checkInInterval);
        }
        return settings;
    }
}
