package io.warpsentinel.classify;

import io.warpsentinel.finding.Device;
import io.warpsentinel.finding.Registration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Which stale-after window judges a registration, in this precedence: its device profile's
 * ({@code sentinel.stale-after.policies}, by the {@code policy.name} the listing sends with
 * {@code include=policy}), then its platform's ({@code sentinel.stale-after.platforms}, by its
 * device's {@code device_type} from Cloudflare's inventory), then {@code sentinel.stale-after}.
 * A registration whose platform is unknown (the device's details unavailable, or not in the
 * inventory) falls back to {@code sentinel.stale-after}.
 */
public final class StaleWindows {

    /** Where a window comes from. */
    public enum Rule {
        DEFAULT, PROFILE, PLATFORM;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * A stale-after window as configured.
     *
     * @param index its place in {@link #all()}
     * @param name  the profile or platform it is for; null for {@code sentinel.stale-after}
     * @param label how a verdict's {@code stale_after} names it: {@code P30D} for {@code sentinel.stale-after},
     *              {@code P14D (profile Contractors)}, {@code P60D (platform ios)}: two rules of the same length
     *              stay apart, and the default reads as it always did (made once: every verdict carries it)
     */
    public record Window(int index, Rule rule, String name, StalePolicy policy, String label) {

        static Window of(int index, Rule rule, String name, StalePolicy policy) {
            return new Window(index, rule, name, policy, rule == Rule.DEFAULT ? policy.toString()
                    : policy + " (" + rule.label() + " " + name + ")");
        }

        /** The window as configured, e.g. {@code P14D}. */
        public String text() {
            return policy.toString();
        }

        /** Registrations it judges are stale when last seen strictly before this instant. */
        public Instant staleBefore(Instant now) {
            return policy.staleBefore(now);
        }
    }

    private final Window defaultWindow;
    // by policy.name exactly as Cloudflare shows it
    private final Map<String, Window> profiles;
    // by device_type in lower case
    private final Map<String, Window> platforms;
    private final List<Window> all;
    private final List<Window> unprofiled;

    public StaleWindows(StalePolicy defaultPolicy) {
        this(defaultPolicy, Map.of(), Map.of());
    }

    /**
     * @param profiles  windows by device profile name, in the configured order
     * @param platforms windows by platform ({@code device_type}), in the configured order
     */
    public StaleWindows(StalePolicy defaultPolicy, Map<String, StalePolicy> profiles, Map<String, StalePolicy> platforms) {
        List<Window> windows = new ArrayList<>();
        defaultWindow = Window.of(0, Rule.DEFAULT, null, defaultPolicy);
        windows.add(defaultWindow);
        Map<String, Window> byProfile = new LinkedHashMap<>();
        profiles.forEach((name, policy) -> {
            Window window = Window.of(windows.size(), Rule.PROFILE, name, policy);
            windows.add(window);
            byProfile.put(name, window);
        });
        Map<String, Window> byPlatform = new LinkedHashMap<>();
        platforms.forEach((name, policy) -> {
            Window window = Window.of(windows.size(), Rule.PLATFORM, name.toLowerCase(Locale.ROOT), policy);
            windows.add(window);
            byPlatform.put(window.name(), window);
        });
        this.profiles = Collections.unmodifiableMap(byProfile);
        this.platforms = Collections.unmodifiableMap(byPlatform);
        this.all = List.copyOf(windows);
        List<Window> withoutProfile = new ArrayList<>(byPlatform.values());
        withoutProfile.add(0, defaultWindow);
        this.unprofiled = List.copyOf(withoutProfile);
    }

    /** Every window: {@code sentinel.stale-after}, then the profiles' and the platforms', as configured. */
    public List<Window> all() {
        return all;
    }

    /** Whether a profile has a window of its own: the listing must then ask for each registration's policy. */
    public boolean hasProfiles() {
        return !profiles.isEmpty();
    }

    /** Whether a platform has a window of its own: it applies only where the device's details are known. */
    public boolean hasPlatforms() {
        return !platforms.isEmpty();
    }

    /** The window that judges this registration, on this device (null: its details are unknown). */
    Window of(Registration registration, Device device) {
        Window profile = profileOf(registration);
        if (profile != null) {
            return profile;
        }
        if (device != null && device.deviceType() != null && !platforms.isEmpty()) {
            Window platform = platforms.get(device.deviceType().toLowerCase(Locale.ROOT));
            if (platform != null) {
                return platform;
            }
        }
        return defaultWindow;
    }

    /** The window of this registration's device profile, or null when its profile has none. */
    Window profileOf(Registration registration) {
        return profiles.isEmpty() || registration.policyName() == null ? null : profiles.get(registration.policyName());
    }

    /** The windows a registration without a profile window may get once its device is known: the default and each platform's. */
    List<Window> unprofiled() {
        return unprofiled;
    }
}
