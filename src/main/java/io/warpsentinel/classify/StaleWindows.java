package io.warpsentinel.classify;

import io.warpsentinel.finding.Device;
import io.warpsentinel.finding.Registration;
import java.time.Instant;

/**
 * Which stale-after window judges a registration: {@code sentinel.stale-after}, for every
 * registration alike.
 */
public final class StaleWindows {

    /** A stale-after window as configured (its text, e.g. {@code P30D}). */
    public record Window(String text, StalePolicy policy) {
        Instant staleBefore(Instant now) {
            return policy.staleBefore(now);
        }
    }

    private final Window defaultWindow;

    public StaleWindows(StalePolicy defaultPolicy) {
        this.defaultWindow = new Window(defaultPolicy.toString(), defaultPolicy);
    }

    /** The window that judges this registration, on this device. */
    Window of(Registration registration, Device device) {
        return defaultWindow;
    }

    /** The shortest window that may judge this registration once its device is known. */
    Window shortest(Registration registration) {
        return defaultWindow;
    }

    /** The longest window that may judge this registration once its device is known. */
    Window longest(Registration registration) {
        return defaultWindow;
    }
}
