package io.warpsentinel;

import io.warpsentinel.classify.RegistrationClassifier;
import io.warpsentinel.classify.StalePolicy;
import io.warpsentinel.cloudflare.RegistrationPages;
import io.warpsentinel.cloudflare.RetryLog;
import io.warpsentinel.demo.DemoCloudflareApi;
import io.warpsentinel.report.ReportFiles;
import io.warpsentinel.scan.FailureText;
import io.warpsentinel.scan.RunOnce;
import io.warpsentinel.scan.ScanRuns;
import java.nio.file.Path;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.Configuration;
import org.apache.camel.PropertyInject;
import org.apache.camel.support.service.ServiceSupport;
import org.quartz.CronExpression;

/**
 * Wires the beans the routes call from {@code application.properties}, and refuses to start on
 * a setting that would make every scan fail later: the operator hears about it at once, by name.
 */
@Configuration
public class SentinelConfiguration implements CamelConfiguration {

    // Account ids end up in URL paths and file names: letters, digits, '-' and '_' only.
    private static final Pattern ACCOUNT_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    @BindToRegistry
    public ScanRuns scanRuns(@PropertyInject("sentinel.stale-after") String staleAfter,
                             @PropertyInject("cloudflare.account-ids") String accountIds,
                             @PropertyInject(value = "cloudflare.api-token", defaultValue = "") String token) {
        List<String> ids = accountIds(accountIds);
        for (String id : ids) {
            if (!ACCOUNT_ID.matcher(id).matches()) {
                throw new SettingException("cloudflare.account-ids holds '" + id + "', which is not an account id "
                        + "(letters, digits, '-' and '_' only)");
            }
        }
        return new ScanRuns(stalePolicy(staleAfter), ids, Clock.systemUTC(), new FailureText(token));
    }

    @BindToRegistry
    public RegistrationPages registrationPages(@PropertyInject("cloudflare.per-page") String perPage,
                                               @PropertyInject("sentinel.max-pages") String maxPages,
                                               @PropertyInject("sentinel.max-wait") String maxWait,
                                               @PropertyInject("sentinel.scan-timeout") String scanTimeout) {
        return new RegistrationPages(positive("cloudflare.per-page", perPage), positive("sentinel.max-pages", maxPages),
                duration("sentinel.max-wait", maxWait), duration("sentinel.scan-timeout", scanTimeout), Clock.systemUTC());
    }

    @BindToRegistry
    public RetryLog retryLog(@PropertyInject(value = "cloudflare.api-token", defaultValue = "") String token) {
        return new RetryLog(new FailureText(token));
    }

    @BindToRegistry
    public RegistrationClassifier classifier() {
        return new RegistrationClassifier();
    }

    @BindToRegistry
    public ReportFiles reportFiles(@PropertyInject("sentinel.report.dir") String directory) {
        if (directory.isBlank()) {
            throw new SettingException("sentinel.report.dir is empty: name the folder the reports go to");
        }
        return new ReportFiles(Path.of(directory));
    }

    @BindToRegistry
    public RunOnce runOnce() {
        return new RunOnce();
    }

    @Override
    public void configure(CamelContext camelContext) throws Exception {
        var properties = camelContext.getPropertiesComponent();
        checkSchedule(properties.resolveProperty("sentinel.schedule").orElse(""),
                properties.resolveProperty("sentinel.time-zone").orElse(""));
        boolean demo = Boolean.parseBoolean(properties.resolveProperty("sentinel.demo.enabled").orElse("false"));
        if (demo) {
            int port = Integer.parseInt(properties.resolveProperty("sentinel.demo.port").orElseThrow());
            int size = positive("sentinel.demo.registrations", properties.resolveProperty("sentinel.demo.registrations").orElseThrow());
            camelContext.addService(new DemoApiService(new DemoCloudflareApi(size, Clock.systemUTC()), port));
            return;
        }
        // Never fall back to the demo: a report of a simulated fleet must not pass for the real one.
        List<String> missing = new ArrayList<>();
        if (properties.resolveProperty("cloudflare.api-token").filter(token -> !token.isBlank()).isEmpty()) {
            missing.add("cloudflare.api-token is not set: export CLOUDFLARE_API_TOKEN=<an API token with 'Zero Trust Read' permission>");
        }
        if (accountIds(properties.resolveProperty("cloudflare.account-ids").orElse("")).isEmpty()) {
            missing.add("cloudflare.account-ids is not set: export CLOUDFLARE_ACCOUNT_ID=<account id> (several: CLOUDFLARE_ACCOUNT_IDS=id1,id2)");
        }
        if (!missing.isEmpty()) {
            throw new SettingException(String.join("; ", missing) + ". To try warp-sentinel without an account, run the demo: -Dcamel.main.profile=demo");
        }
    }

    // Quartz would take an unknown time zone for GMT without a word, and report a bad cron
    // expression only as a route start-up failure.
    private static void checkSchedule(String cron, String timeZone) {
        if (!CronExpression.isValidExpression(cron)) {
            throw new SettingException("sentinel.schedule '" + cron + "' is not a Quartz cron expression "
                    + "(seconds minutes hours day-of-month month day-of-week, e.g. '0 0 6 * * ?')");
        }
        try {
            ZoneId.of(timeZone);
        } catch (DateTimeException e) {
            throw new SettingException("sentinel.time-zone '" + timeZone + "' is not a time zone (e.g. UTC, Europe/Berlin)");
        }
    }

    private static List<String> accountIds(String commaSeparated) {
        return Arrays.stream(commaSeparated.split(",")).map(String::strip).filter(id -> !id.isEmpty()).toList();
    }

    static StalePolicy stalePolicy(String staleAfter) {
        try {
            return StalePolicy.parse(staleAfter);
        } catch (IllegalArgumentException e) {
            throw new SettingException(e.getMessage());
        }
    }

    private static Duration duration(String name, String value) {
        try {
            Duration duration = Duration.parse(value.strip());
            if (!duration.isNegative() && !duration.isZero()) {
                return duration;
            }
        } catch (DateTimeParseException e) {
            // reported below with the setting's name
        }
        throw new SettingException(name + " must be an ISO-8601 duration above zero such as PT10M or PT2H, not '" + value + "'");
    }

    private static int positive(String name, String value) {
        try {
            int number = Integer.parseInt(value.strip());
            if (number > 0) {
                return number;
            }
        } catch (NumberFormatException e) {
            // reported below with the setting's name
        }
        throw new SettingException(name + " must be a whole number above zero, not '" + value + "'");
    }

    /** A setting that cannot work; its message names the setting and what to do. */
    public static final class SettingException extends IllegalStateException {
        public SettingException(String message) {
            super(message);
        }
    }

    /** Runs the demo API for as long as Camel runs, so the scan routes find it up when they start. */
    private static final class DemoApiService extends ServiceSupport {
        private final DemoCloudflareApi api;
        private final int port;

        DemoApiService(DemoCloudflareApi api, int port) {
            this.api = api;
            this.port = port;
        }

        @Override
        protected void doStart() throws Exception {
            api.start(port);
        }

        @Override
        protected void doStop() {
            api.close();
        }
    }
}
