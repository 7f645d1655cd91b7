package io.warpsentinel.http;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Whether what is sent to a host stays on this machine, and a warning when it crosses the network unencrypted. */
public final class Hosts {

    private static final Logger LOG = LoggerFactory.getLogger(Hosts.class);

    private Hosts() {
    }

    /** True when every address of {@code host} is a loopback address; an unknown host is not. */
    public static boolean isLoopback(String host) {
        if (host == null || host.isBlank()) {
            return false;
        }
        try {
            for (InetAddress address : InetAddress.getAllByName(host)) {
                if (!address.isLoopbackAddress()) {
                    return false;
                }
            }
            return true;
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** A token, a report or a webhook's credential sent in clear across a network is worth a warning at every start. */
    public static void warnIfPlainHttp(String url, String key) {
        try {
            URI uri = URI.create(url);
            if ("http".equalsIgnoreCase(uri.getScheme()) && !isLoopback(uri.getHost())) {
                LOG.warn("{} uses plain http:// to {}: what it sends (the token, a report) crosses the network unencrypted; use https://",
                        key, uri.getHost());
            }
        } catch (IllegalArgumentException malformed) {
            // the setting's own check names it
        }
    }
}
