package io.warpsentinel.cloudflare;

import static io.warpsentinel.settings.SettingGroup.CLOUDFLARE;
import static io.warpsentinel.settings.SettingGroup.OPERATING;
import static io.warpsentinel.settings.SettingGroup.SCAN;

import io.warpsentinel.settings.Setting;
import io.warpsentinel.settings.SettingException;
import io.warpsentinel.settings.SettingsSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * How the account's registrations are fetched: which API, with which token, which accounts, in
 * pages of what size, and how long a walk may take.
 */
public record CloudflareSettings(String baseUrl, String token, List<String> accountIds, int perPage, int maxPages, Duration maxWait,
                                 Duration scanTimeout, Duration progressInterval, Backoff backoff, Budget budget) {

    /** cloudflare.retry.*: how often and how patiently a request that failed for a passing reason is sent again. */
    public record Backoff(int maxRetries, Duration initialDelay, Duration maxDelay) {
    }

    /** cloudflare.rate-limit.*: at most {@code requests} in any {@code period}, every account's calls together. */
    public record Budget(int requests, Duration period) {
    }


    public static final Setting<String> BASE_URL = CLOUDFLARE.text("cloudflare.base-url", "https://api.cloudflare.com/client/v4",
            "API base URL; change it only for a proxy or a test server.");
    public static final Setting<String> API_TOKEN = CLOUDFLARE.text("cloudflare.api-token", "",
            "API token with the Zero Trust Read permission. Set it with CLOUDFLARE_API_TOKEN, never in a file; it is sent only "
                    + "in the Authorization header of requests to cloudflare.base-url.").secret(Setting.Secret.WHOLE);
    public static final Setting<String> API_WRITE_TOKEN = CLOUDFLARE.text("cloudflare.api-write-token", "",
            "API token with the Zero Trust Write permission, used only for the calls of sentinel.remediate.* (revoke, delete); "
                    + "listing keeps cloudflare.api-token. Needed when sentinel.remediate.action is not none and "
                    + "sentinel.remediate.dry-run is false. Set it with CLOUDFLARE_API_WRITE_TOKEN, never in a file.")
            .secret(Setting.Secret.WHOLE);
    public static final Setting<List<String>> ACCOUNT_IDS = CLOUDFLARE.list("cloudflare.account-ids", "{{env:CLOUDFLARE_ACCOUNT_ID:}}",
            "Account ids to scan, comma-separated, each once: CLOUDFLARE_ACCOUNT_ID (one) or CLOUDFLARE_ACCOUNT_IDS (several); "
                    + "letters, digits, `-` and `_` only.");
    public static final Setting<Integer> PER_PAGE = CLOUDFLARE.count("cloudflare.per-page", "1000", 1,
            "Registrations asked for per page (the server may send fewer): 1,000 keeps a 1M-device fleet at 1,000 requests, under "
                    + "the 1,200 per 5 minutes limit.");
    public static final Setting<Integer> RATE_LIMIT_REQUESTS = CLOUDFLARE.count("cloudflare.rate-limit.requests", "1000", 1,
            "Requests allowed per rate-limit period, shared by every account this process scans (Cloudflare allows 1,200 per "
                    + "5 minutes per token; the margin leaves room for other clients of the same token).");
    public static final Setting<Integer> RATE_LIMIT_PERIOD = CLOUDFLARE.count("cloudflare.rate-limit.period", "300000", 1,
            "The rate-limit period in milliseconds, a sliding window as Cloudflare counts.");
    public static final Setting<Integer> RETRY_MAX_RETRIES = CLOUDFLARE.count("cloudflare.retry.max-retries", "5", 0,
            "Retries of a page or a remediation read after a 5xx, 408, dropped connection, malformed body or timeout (a page "
                    + "from the same cursor); then the account fails. A revoke or delete is sent again only after an answer that "
                    + "proves it was not applied (429, 5xx, 408).");
    public static final Setting<Integer> RETRY_INITIAL_DELAY = CLOUDFLARE.count("cloudflare.retry.initial-delay", "1000", 0,
            "Milliseconds before the first retry; doubled on each retry, with +/-15% jitter.");
    public static final Setting<Integer> RETRY_MAX_DELAY = CLOUDFLARE.count("cloudflare.retry.max-delay", "30000", 0,
            "Longest delay between two retries, milliseconds.");
    public static final Setting<Integer> MAX_PAGES = SCAN.count("sentinel.max-pages", "10000", 1,
            "An account's scan stops with an error past this many pages (guards against a cursor that never ends); 10,000 pages "
                    + "of 1,000 is ten million registrations.");
    public static final Setting<Duration> MAX_WAIT = SCAN.duration("sentinel.max-wait", "PT10M",
            "Longest total wait on 429 (rate limited) answers in one account's scan; past it the account fails. Each such "
                    + "wait is Retry-After, but never less than 1 s nor than the backoff of cloudflare.retry.initial-delay.");
    public static final Setting<Duration> SCAN_TIMEOUT = SCAN.duration("sentinel.scan-timeout", "PT2H",
            "Longest time one account's scan may take, waits and retries included, the answer being read too, its "
                    + "remediation too; past it the account fails. It is checked before every wait (the request budget, a "
                    + "Retry-After, a backoff): a wait that would end past it is not begun.");
    public static final Setting<Duration> PROGRESS_INTERVAL = OPERATING.duration("sentinel.progress-interval", "PT30S",
            "How often a long scan logs how far it got (pages, registrations so far, rate, elapsed).");

    public static final List<Setting<?>> ALL = List.of(BASE_URL, API_TOKEN, API_WRITE_TOKEN, ACCOUNT_IDS, PER_PAGE, RATE_LIMIT_REQUESTS, RATE_LIMIT_PERIOD,
            RETRY_MAX_RETRIES, RETRY_INITIAL_DELAY, RETRY_MAX_DELAY, MAX_PAGES, MAX_WAIT, SCAN_TIMEOUT, PROGRESS_INTERVAL);

    // Account ids end up in URL paths and file names.
    private static final Pattern ACCOUNT_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final String DEMO_HINT = "To try warp-sentinel without an account, run the demo: -Dcamel.main.profile=demo";

    /**
     * @param demo whether the embedded demo API stands in for Cloudflare: then no credentials are needed. Outside
     *             it they are, and it never falls back to the demo: a report of a simulated fleet must not pass for the real one.
     */
    public static CloudflareSettings read(SettingsSource source, boolean demo) {
        List<String> accountIds = accountIds(source);
        String token = API_TOKEN.read(source);
        if (!demo) {
            List<String> missing = new ArrayList<>();
            if (token.isEmpty()) {
                missing.add("cloudflare.api-token is not set: export CLOUDFLARE_API_TOKEN=<an API token with 'Zero Trust Read' permission>");
            }
            if (accountIds.isEmpty()) {
                missing.add("cloudflare.account-ids is not set: export CLOUDFLARE_ACCOUNT_ID=<account id> (several: "
                        + "CLOUDFLARE_ACCOUNT_IDS=id1,id2)");
            }
            if (!missing.isEmpty()) {
                throw new SettingException(String.join("; ", missing) + ". " + DEMO_HINT);
            }
        }
        return new CloudflareSettings(BASE_URL.read(source), token, accountIds, PER_PAGE.read(source), MAX_PAGES.read(source),
                MAX_WAIT.read(source), SCAN_TIMEOUT.read(source), PROGRESS_INTERVAL.read(source),
                new Backoff(RETRY_MAX_RETRIES.read(source), Duration.ofMillis(RETRY_INITIAL_DELAY.read(source)),
                        Duration.ofMillis(RETRY_MAX_DELAY.read(source))),
                new Budget(RATE_LIMIT_REQUESTS.read(source), Duration.ofMillis(RATE_LIMIT_PERIOD.read(source))));
    }

    private static List<String> accountIds(SettingsSource source) {
        List<String> ids = ACCOUNT_IDS.read(source);
        Set<String> seen = new HashSet<>();
        for (String id : ids) {
            if (!ACCOUNT_ID.matcher(id).matches()) {
                throw new SettingException("cloudflare.account-ids holds '" + id + "', which is not an account id "
                        + "(letters, digits, '-' and '_' only)");
            }
            // scanned twice, the second report would replace the first and call everything "still open"
            if (!seen.add(id.toLowerCase(Locale.ROOT))) {
                throw new SettingException("cloudflare.account-ids lists '" + id + "' twice; list each account once");
            }
        }
        return ids;
    }

    /** Never printed: the token is a secret. */
    @Override
    public String toString() {
        return "CloudflareSettings[" + baseUrl + ", " + accountIds + "]";
    }
}
