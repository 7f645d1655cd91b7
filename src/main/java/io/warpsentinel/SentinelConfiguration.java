package io.warpsentinel;

import io.warpsentinel.Settings.SettingException;
import io.warpsentinel.classify.Exclusions;
import io.warpsentinel.classify.RegistrationClassifier;
import io.warpsentinel.classify.StalePolicy;
import io.warpsentinel.cloudflare.RegistrationPages;
import io.warpsentinel.cloudflare.PageRetryLog;
import io.warpsentinel.deliver.DeadLetters;
import io.warpsentinel.deliver.DeliveryRetryLog;
import io.warpsentinel.deliver.DeliveryChannels;
import io.warpsentinel.deliver.EmailMessages;
import io.warpsentinel.deliver.OwnerNotices;
import io.warpsentinel.deliver.WebhookTarget;
import io.warpsentinel.deliver.Webhooks;
import io.warpsentinel.demo.DemoCloudflareApi;
import io.warpsentinel.files.PrivateFiles;
import io.warpsentinel.http.HttpBounds;
import io.warpsentinel.operate.ScanHealthCheck;
import io.warpsentinel.operate.ScanHistory;
import io.warpsentinel.operate.ScanMetrics;
import io.warpsentinel.report.RecordVerdict;
import io.warpsentinel.report.ReportFiles;
import io.warpsentinel.scan.ErrorsAsFailures;
import io.warpsentinel.scan.RunOnce;
import io.warpsentinel.scan.ScanRuns;
import io.warpsentinel.scan.ShrinkGuard;
import io.warpsentinel.secrets.FailureText;
import io.warpsentinel.secrets.SecretSettings;
import io.warpsentinel.secrets.Secrets;
import io.warpsentinel.state.AlertPolicy;
import io.warpsentinel.state.StateStore;
import jakarta.mail.Authenticator;
import jakarta.mail.PasswordAuthentication;
import jakarta.mail.Session;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.Configuration;
import org.apache.camel.component.http.HttpComponent;
import org.apache.camel.spi.Registry;
import org.apache.camel.support.service.ServiceSupport;
import org.quartz.CronExpression;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the beans the routes call from {@code application.properties}, in one place because
 * they depend on each other (every failure text is redacted of every configured secret), and
 * refuses to start on a setting that would make every scan or delivery fail later: the operator
 * hears about it at once, by the setting's name.
 */
@Configuration
public class SentinelConfiguration implements CamelConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(SentinelConfiguration.class);

    // Account ids end up in URL paths and file names: letters, digits, '-' and '_' only.
    private static final Pattern ACCOUNT_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final Pattern WEBHOOK_NAME = Pattern.compile("[a-z0-9_-]{1,40}");
    private static final String DEMO_HINT = "To try warp-sentinel without an account, run the demo: -Dcamel.main.profile=demo";

    @Override
    public void configure(CamelContext camelContext) throws Exception {
        Settings settings = new Settings(camelContext.getPropertiesComponent());
        Registry registry = camelContext.getRegistry();
        Clock clock = Clock.systemUTC();
        camelContext.getCamelContextExtension().addInterceptStrategy(new ErrorsAsFailures());

        checkSchedule(settings);
        List<String> accountIds = accountIds(settings);
        boolean demo = settings.flag("sentinel.demo.enabled");
        if (demo) {
            camelContext.addService(new DemoApiService(new DemoCloudflareApi(settings.positive("sentinel.demo.registrations"), clock),
                    settings.number("sentinel.demo.port", 0)));
        } else {
            requireCredentials(settings, accountIds);
        }
        List<WebhookTarget> webhooks = webhooks(settings);
        registerSecrets(settings, webhooks);
        FailureText failureText = new FailureText(Secrets.global());
        warnAboutPlainHttp(settings.text("cloudflare.base-url"), "cloudflare.base-url");
        webhooks.forEach(target -> warnAboutPlainHttp(target.url(), "sentinel.webhook." + target.name() + ".url"));
        boundHttp(camelContext, settings, clock);
        PrivateFiles files = privateFiles(settings);
        ScanMetrics metrics = new ScanMetrics(camelContext);
        ScanHistory history = new ScanHistory(Path.of(settings.required("sentinel.history.file", "name the run history file")), files);
        ScanHealthCheck health = new ScanHealthCheck();
        health.setCamelContext(camelContext);
        registry.bind("scanHealthCheck", health);

        registry.bind("scanMetrics", metrics);
        registry.bind("scanRuns", new ScanRuns(stalePolicy(settings), accountIds, clock, failureText, history, metrics, health));
        Exclusions exclusions = exclusions(settings, "sentinel.exclude.user-emails", "sentinel.exclude.device-names",
                settings.list("sentinel.exclude.registration-ids"), settings.list("sentinel.exclude.policy-names"));
        RegistrationPages pages = new RegistrationPages(settings.positive("cloudflare.per-page"),
                settings.positive("sentinel.max-pages"), settings.duration("sentinel.max-wait"),
                settings.duration("sentinel.scan-timeout"), settings.duration("sentinel.progress-interval"),
                exclusions.needsPolicy(), settings.text("cloudflare.api-token"), failureText, metrics, clock);
        registry.bind("registrationPages", pages);
        registry.bind("pageRetryLog", new PageRetryLog(failureText, metrics));
        registry.bind("deliveryRetryLog", new DeliveryRetryLog(failureText));
        registry.bind("classifier", new RegistrationClassifier(exclusions));
        boolean ownerNotices = settings.flag("sentinel.owner-notice.enabled");
        registry.bind("stateStore", stateStore(settings, ownerNotices, files));
        registry.bind("shrinkGuard", new ShrinkGuard(settings.fraction("sentinel.max-shrink"), settings.flag("sentinel.accept-shrink")));
        registry.bind("recordVerdict", new RecordVerdict());
        registry.bind("reportFiles", new ReportFiles(Path.of(settings.required("sentinel.report.dir", "name the folder the reports go to")),
                settings.positive("sentinel.report.html-max-rows"), settings.flag("sentinel.report.csv-formula-guard"), history,
                pages.filters(), files));
        registry.bind("runOnce", new RunOnce(failureText));
        Webhooks webhookMessages = new Webhooks(webhooks, clock);
        EmailMessages emailMessages = emailMessages(settings);
        registry.bind("webhooks", webhookMessages);
        registry.bind("emailMessages", emailMessages);
        registry.bind("deliveryChannels", new DeliveryChannels(emailMessages, webhookMessages, metrics));
        registry.bind("ownerNotices", new OwnerNotices(settings.text("sentinel.email.from"),
                settings.required("sentinel.owner-notice.subject", "give the owner notices' subject"),
                settings.required("sentinel.owner-notice.body", "give the owner notices' text"), metrics));
        if (emailMessages.isEnabled() || ownerNotices) {
            // only then does an e-mail route exist (their preconditions) and need a session
            registry.bind("emailSession", emailSession(settings));
        }
        registry.bind("deadLetters", new DeadLetters(Path.of(settings.required("sentinel.dead-letter.dir",
                "name the folder undeliverable messages are kept in")), failureText, metrics, files, clock));
    }

    /**
     * Every HTTP exchange, to Cloudflare and to webhooks, whichever scheme: the same timeouts
     * (camel.component.http.* alone would leave https:// at Camel's three-minute defaults), no
     * automatic retries underneath the routes' own, and a deadline and a size limit per answer.
     */
    private static void boundHttp(CamelContext camelContext, Settings settings, Clock clock) {
        HttpBounds bounds = new HttpBounds(settings.duration("sentinel.http.timeout"),
                settings.positive("sentinel.http.max-response-bytes"), clock);
        for (String scheme : List.of("http", "https")) {
            HttpComponent component = camelContext.getComponent(scheme, HttpComponent.class);
            component.setHttpClientConfigurer(bounds);
            component.setAutomaticRetriesDisabled(true);
            component.setConnectTimeout(settings.positive("camel.component.http.connect-timeout"));
            component.setSoTimeout(settings.positive("camel.component.http.so-timeout"));
            component.setResponseTimeout(settings.positive("camel.component.http.response-timeout"));
        }
    }

    /** Every file written (reports, state, history, dead letters) is created with these permissions. */
    private static PrivateFiles privateFiles(Settings settings) {
        try {
            return new PrivateFiles(settings.text("sentinel.file-permissions"));
        } catch (IllegalArgumentException e) {
            throw new SettingException("sentinel.file-permissions: " + e.getMessage());
        }
    }

    /** The configured secrets are hidden from every log line and failure text from now on. */
    private static void registerSecrets(Settings settings, List<WebhookTarget> webhooks) {
        Secrets secrets = Secrets.global();
        for (String key : List.of("cloudflare.api-token", "sentinel.email.password", "sentinel.state.password", "sentinel.state.jdbc-url")) {
            SecretSettings.register(key, settings.text(key), secrets);
        }
        for (WebhookTarget target : webhooks) {
            String prefix = "sentinel.webhook." + target.name() + ".";
            SecretSettings.register(prefix + "url", target.url(), secrets);
            SecretSettings.register(prefix + "secret", target.secret(), secrets);
            SecretSettings.register(prefix + "headers", settings.text(prefix + "headers"), secrets);
        }
    }

    /** A token, a report or a webhook's credential sent in clear across a network is worth a warning at every start. */
    private static void warnAboutPlainHttp(String url, String key) {
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

    private static boolean isLoopback(String host) {
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

    /**
     * The finding state: files under sentinel.state.dir, or the PostgreSQL database of
     * sentinel.state.jdbc-url to share it between instances.
     */
    private static StateStore stateStore(Settings settings, boolean ownerNotices, PrivateFiles files) {
        Duration remindAfter = settings.optional("sentinel.alert.remind-after").map(value -> settings.duration("sentinel.alert.remind-after"))
                .orElse(null);
        AlertPolicy policy = new AlertPolicy(settings.flag("sentinel.alert.only-new"), remindAfter, ownerNotices,
                exclusions(settings, "sentinel.owner-notice.skip-users", "sentinel.owner-notice.skip-devices", List.of(), List.of()),
                settings.positive("sentinel.owner-notice.max-per-run"), settings.positive("sentinel.report.html-max-rows"));
        Optional<String> url = settings.optional("sentinel.state.jdbc-url");
        if (url.isEmpty()) {
            return StateStore.inFiles(Path.of(settings.required("sentinel.state.dir", "name the folder of the finding state")), files, policy);
        }
        if (!url.get().startsWith("jdbc:postgresql://")) {
            throw new SettingException("sentinel.state.jdbc-url must be a PostgreSQL URL (jdbc:postgresql://host:5432/database), "
                    + "or empty for the embedded store in sentinel.state.dir");
        }
        return StateStore.inPostgres(url.get(), settings.text("sentinel.state.username"), settings.text("sentinel.state.password"), policy);
    }

    /** E-mail globs and a device-name regex (plus ids and policy names for the report exclusions). */
    private static Exclusions exclusions(Settings settings, String userKey, String deviceKey, List<String> ids, List<String> policies) {
        try {
            return new Exclusions(settings.list(userKey), settings.text(deviceKey), ids, policies);
        } catch (IllegalArgumentException e) {
            throw new SettingException(deviceKey + ": " + e.getMessage());
        }
    }

    private static List<String> accountIds(Settings settings) {
        List<String> ids = settings.list("cloudflare.account-ids");
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

    /** Never fall back to the demo: a report of a simulated fleet must not pass for the real one. */
    private static void requireCredentials(Settings settings, List<String> accountIds) {
        List<String> missing = new ArrayList<>();
        if (settings.optional("cloudflare.api-token").isEmpty()) {
            missing.add("cloudflare.api-token is not set: export CLOUDFLARE_API_TOKEN=<an API token with 'Zero Trust Read' permission>");
        }
        if (accountIds.isEmpty()) {
            missing.add("cloudflare.account-ids is not set: export CLOUDFLARE_ACCOUNT_ID=<account id> (several: CLOUDFLARE_ACCOUNT_IDS=id1,id2)");
        }
        if (!missing.isEmpty()) {
            throw new SettingException(String.join("; ", missing) + ". " + DEMO_HINT);
        }
    }

    // Quartz would take an unknown time zone for GMT without a word, and report a bad cron
    // expression only as a route start-up failure.
    private static void checkSchedule(Settings settings) {
        String cron = settings.text("sentinel.schedule");
        if (!CronExpression.isValidExpression(cron)) {
            throw new SettingException("sentinel.schedule '" + cron + "' is not a Quartz cron expression "
                    + "(seconds minutes hours day-of-month month day-of-week, e.g. '0 0 6 * * ?')");
        }
        String timeZone = settings.text("sentinel.time-zone");
        try {
            ZoneId.of(timeZone);
        } catch (DateTimeException e) {
            throw new SettingException("sentinel.time-zone '" + timeZone + "' is not a time zone (e.g. UTC, Europe/Berlin)");
        }
    }

    private static StalePolicy stalePolicy(Settings settings) {
        try {
            return StalePolicy.parse(settings.text("sentinel.stale-after"));
        } catch (IllegalArgumentException e) {
            throw new SettingException(e.getMessage());
        }
    }

    /** The targets named in sentinel.webhooks, each from its sentinel.webhook.NAME.* settings. */
    private static List<WebhookTarget> webhooks(Settings settings) {
        List<WebhookTarget> targets = new ArrayList<>();
        for (String name : settings.list("sentinel.webhooks")) {
            if (!WEBHOOK_NAME.matcher(name).matches()) {
                throw new SettingException("sentinel.webhooks holds '" + name + "': name webhooks with lower-case letters, digits, '-' and '_'");
            }
            String prefix = "sentinel.webhook." + name + ".";
            String url = settings.required(prefix + "url", "give the URL that receives the " + name + " webhook");
            if (!url.startsWith("https://") && !url.startsWith("http://")) {
                throw new SettingException(prefix + "url must be an http:// or https:// URL");
            }
            String formatName = settings.optional(prefix + "format").orElse("json");
            WebhookTarget.Format format;
            try {
                format = WebhookTarget.Format.valueOf(formatName.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new SettingException(prefix + "format must be json, slack or teams, not '" + formatName + "'");
            }
            String limit = settings.optional(prefix + "findings-limit").orElse("20");
            int findingsLimit = limit.equals("all") ? WebhookTarget.WHOLE_REPORT : settings.number(prefix + "findings-limit", "20", 0);
            if (findingsLimit == WebhookTarget.WHOLE_REPORT && format != WebhookTarget.Format.JSON) {
                throw new SettingException(prefix + "findings-limit=all sends the whole JSON report, which only format json can carry");
            }
            targets.add(new WebhookTarget(name, url, format, settings.text(prefix + "secret"), headers(settings, prefix + "headers"),
                    findingsLimit, settings.flag(prefix + "only-with-findings")));
        }
        return targets;
    }

    /** "Name: value; Other-Name: value" */
    private static Map<String, String> headers(Settings settings, String key) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (String header : settings.text(key).split(";")) {
            if (header.isBlank()) {
                continue;
            }
            int colon = header.indexOf(':');
            if (colon <= 0) {
                throw new SettingException(key + " must read 'Name: value; Other-Name: value', not '" + header.strip() + "'");
            }
            headers.put(header.substring(0, colon).strip(), header.substring(colon + 1).strip());
        }
        return headers;
    }

    private static EmailMessages emailMessages(Settings settings) {
        boolean enabled = settings.flag("sentinel.email.enabled");
        if (enabled && settings.list("sentinel.email.to").isEmpty()) {
            throw new SettingException("sentinel.email.to is not set: name who receives the reports (comma-separated), or set sentinel.email.enabled=false");
        }
        return new EmailMessages(enabled, settings.flag("sentinel.email.only-with-findings"), settings.text("sentinel.email.from"),
                settings.text("sentinel.email.to"), settings.text("sentinel.email.cc"), settings.number("sentinel.email.attach-csv-max-bytes", 0));
    }

    /**
     * The mail session camel-mail sends with: STARTTLS (required, not merely tried), implicit TLS
     * (SMTPS) or none; server identity checked; AUTH only when a username is set.
     */
    private static Session emailSession(Settings settings) {
        String security = settings.text("sentinel.email.security").toLowerCase(Locale.ROOT);
        if (!List.of("starttls", "smtps", "none").contains(security)) {
            throw new SettingException("sentinel.email.security must be starttls, smtps or none, not '" + security + "'");
        }
        String timeout = String.valueOf(settings.positive("sentinel.email.timeout"));
        Properties mail = new Properties();
        mail.put("mail.smtp.host", settings.text("sentinel.email.host"));
        mail.put("mail.smtp.port", String.valueOf(settings.positive("sentinel.email.port")));
        mail.put("mail.smtp.connectiontimeout", timeout);
        mail.put("mail.smtp.timeout", timeout);
        mail.put("mail.smtp.writetimeout", timeout);
        mail.put("mail.smtp.ssl.enable", String.valueOf(security.equals("smtps")));
        mail.put("mail.smtp.starttls.enable", String.valueOf(security.equals("starttls")));
        mail.put("mail.smtp.starttls.required", String.valueOf(security.equals("starttls")));
        // A certificate trusted without validation (ssl-trust) has no identity worth checking
        // either; otherwise the server's name must match its certificate.
        Optional<String> trusted = settings.optional("sentinel.email.ssl-trust");
        trusted.ifPresent(hosts -> mail.put("mail.smtp.ssl.trust", hosts));
        mail.put("mail.smtp.ssl.checkserveridentity", String.valueOf(trusted.isEmpty()));
        String username = settings.text("sentinel.email.username");
        String host = settings.text("sentinel.email.host");
        if (security.equals("none") && !username.isEmpty() && !isLoopback(host)) {
            throw new SettingException("sentinel.email.security=none with sentinel.email.username would send the SMTP password in clear "
                    + "to " + host + "; use starttls or smtps, or a relay on this host (localhost)");
        }
        mail.put("mail.smtp.auth", String.valueOf(!username.isEmpty()));
        String password = settings.text("sentinel.email.password");
        return Session.getInstance(mail, new Authenticator() {
            @Override
            protected PasswordAuthentication getPasswordAuthentication() {
                return new PasswordAuthentication(username, password);
            }
        });
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
