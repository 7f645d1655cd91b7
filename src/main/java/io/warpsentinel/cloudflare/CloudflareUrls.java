package io.warpsentinel.cloudflare;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Every URL of Cloudflare's API the product calls or prints (API-NOTES.md), built in one place
 * from {@code cloudflare.base-url}. Ids are data from the API: each is encoded like any value.
 */
public final class CloudflareUrls {

    /** Cloudflare takes at most this many ids per bulk call (the deprecated calls took 200; the notes advise 100). */
    public static final int MOST_IDS_PER_CALL = 100;

    private final String baseUrl;

    public CloudflareUrls(String baseUrl) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    }

    /** {@code GET /accounts/{account}/devices/registrations?{query}}: a page of the listing. */
    public String registrations(String accountId, String query) {
        return registrations(accountId) + "?" + query;
    }

    /**
     * {@code GET /accounts/{account}/devices/registrations/{id}}, with the device policy when
     * exclusions by policy name or windows by device profile need it.
     */
    public String registration(String accountId, String registrationId, boolean withPolicy) {
        return registrations(accountId) + "/" + encode(registrationId) + (withPolicy ? "?include=policy" : "");
    }

    /**
     * A call on a list of registrations, {@code id} repeated: {@code POST .../registrations/revoke?id=A&id=B}
     * (or {@code unrevoke}), or with an empty {@code verb}, {@code DELETE .../registrations?id=A&id=B}.
     */
    public String registrations(String accountId, String verb, List<String> registrationIds) {
        if (registrationIds.isEmpty() || registrationIds.size() > MOST_IDS_PER_CALL) {
            throw new IllegalArgumentException("a bulk call takes 1 to " + MOST_IDS_PER_CALL + " ids, not " + registrationIds.size());
        }
        return registrations(accountId) + (verb.isEmpty() ? "" : "/" + verb) + "?" + ids(registrationIds);
    }

    /** {@code GET /accounts/{account}/devices/physical-devices?{query}}: a page of the inventory of physical devices. */
    public String physicalDevices(String accountId, String query) {
        return baseUrl + "/accounts/" + accountId + "/devices/physical-devices?" + query;
    }

    /** {@code ?id=A&id=B...}, for the listings' {@code id} filter. */
    public static String ids(List<String> ids) {
        return ids.stream().map(id -> "id=" + encode(id)).collect(Collectors.joining("&"));
    }

    private String registrations(String accountId) {
        return baseUrl + "/accounts/" + accountId + "/devices/registrations";
    }

    /**
     * An id in a path segment or a query value: every character but letters, digits and
     * {@code -_.*} percent-encoded, a space as {@code %20} (a {@code +} would be read as a plus
     * by a strict server, and hit registration "a+b" instead of "a b").
     */
    public static String encode(String id) {
        return URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
