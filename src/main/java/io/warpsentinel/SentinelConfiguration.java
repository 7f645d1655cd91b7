package io.warpsentinel;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.warpsentinel.classify.ClassifySettings;
import io.warpsentinel.classify.RegistrationClassifier;
import io.warpsentinel.cloudflare.CloudflareCalls;
import io.warpsentinel.cloudflare.CloudflareRetries;
import io.warpsentinel.cloudflare.CloudflareSettings;
import io.warpsentinel.cloudflare.CloudflareUrls;
import io.warpsentinel.cloudflare.PhysicalDevices;
import io.warpsentinel.cloudflare.RegistrationCalls;
import io.warpsentinel.cloudflare.RegistrationPages;
import io.warpsentinel.cloudflare.RequestBudget;
import io.warpsentinel.cluster.ClusterHealthCheck;
import io.warpsentinel.cluster.ClusterSettings;
import io.warpsentinel.cluster.QuartzCluster;
import io.warpsentinel.cluster.Scheduling;
import io.warpsentinel.deliver.DeadLetters;
import io.warpsentinel.deliver.DeliveryChannels;
import io.warpsentinel.deliver.DeliveryRetryLog;
import io.warpsentinel.deliver.DeliverySettings;
import io.warpsentinel.deliver.EmailMessages;
import io.warpsentinel.deliver.EmailSettings;
import io.warpsentinel.deliver.OwnerNotices;
import io.warpsentinel.deliver.WebhookSettings;
import io.warpsentinel.deliver.WebhookTarget;
import io.warpsentinel.deliver.Webhooks;
import io.warpsentinel.demo.DemoSettings;
import io.warpsentinel.files.PrivateFiles;
import io.warpsentinel.http.Hosts;
import io.warpsentinel.http.HttpBounds;
import io.warpsentinel.http.HttpSettings;
import io.warpsentinel.operate.MetricsPush;
import io.warpsentinel.operate.OperateSettings;
import io.warpsentinel.operate.ScanHealthCheck;
import io.warpsentinel.operate.ScanHistory;
import io.warpsentinel.operate.ScanMetrics;
import io.warpsentinel.remediate.OfferCandidate;
import io.warpsentinel.remediate.RemediateSettings;
import io.warpsentinel.remediate.Remediator;
import io.warpsentinel.report.RecordVerdict;
import io.warpsentinel.report.ReportFiles;
import io.warpsentinel.report.ReportIndex;
import io.warpsentinel.report.ReportSettings;
import io.warpsentinel.scan.ErrorsAsFailures;
import io.warpsentinel.scan.NextPage;
import io.warpsentinel.scan.RunOnce;
import io.warpsentinel.scan.ScanRuns;
import io.warpsentinel.scan.ScanSettings;
import io.warpsentinel.scan.ShrinkGuard;
import io.warpsentinel.scan.Validation;
import io.warpsentinel.secrets.FailureText;
import io.warpsentinel.secrets.Secrets;
import io.warpsentinel.settings.SettingsSource;
import io.warpsentinel.state.StateDatabase;
import io.warpsentinel.state.StateSettings;
import jakarta.mail.Session;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.Configuration;
import org.apache.camel.StartupListener;
import org.apache.camel.component.micrometer.MicrometerConstants;
import org.apache.camel.component.micrometer.prometheus.MicrometerPrometheus;
import org.apache.camel.component.platform.http.main.ManagementHttpServer;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServer;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.spi.Registry;
import org.apache.camel.support.EventNotifierSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The beans the routes call, one method each, named as the routes refer to them. Each package
 * reads and checks its own settings ({@code *Settings}); a setting that cannot work stops the
 * start here, by its name, before anything is scanned.
 */
@Configuration
public class SentinelConfiguration implements CamelConfiguration {

    private final Clock clock = Clock.systemUTC();
    private final FailureText failureText = new FailureText(Secrets.global());
    private CamelContext camel;
    private SettingsSource source;
    private static final Logger LOG = LoggerFactory.getLogger(WarpSentinel.class);

    private ScanSettings scan;
    private CloudflareSettings cloudflare;
    private ClassifySettings classify;
    private ReportSettings report;
    private StateSettings state;
    private DeliverySettings delivery;
    private EmailSettings email;
    private List<WebhookTarget> webhookTargets;
    private RemediateSettings remediate;
    private ClusterSettings cluster;
    private final String instanceId = ClusterSettings.localInstanceId();
    private PrivateFiles files;
    // shared by several beans
    private ScanMetrics metrics;
    private ScanHealthCheck health;
    private ScanHistory history;

    @Override
    public void configure(CamelContext camelContext) throws Exception {
        camel = camelContext;
        readSettings();
        camelContext.getCamelContextExtension().addInterceptStrategy(new ErrorsAsFailures());
        HttpBounds.install(camelContext, HttpSettings.read(source), clock);
        DemoSettings demo = DemoSettings.read(source);
        if (demo.enabled()) {
            camelContext.addService(demo.service(clock));
        }
        OperateSettings operate = OperateSettings.read(source);
        Registry registry = camelContext.getRegistry();
        PrometheusMeterRegistry pushed = null;
        if (scan.once() && !operate.pushUrl().isEmpty()) {
            // Camel's metrics take the registry bound under this name (when camel.metrics.enabled is
            // set too): the meters a push sends and those /observe/metrics serves are the same ones
            pushed = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            registry.bind(MicrometerConstants.METRICS_REGISTRY_NAME, pushed);
        }
        metrics = new ScanMetrics(camelContext);
        // once Camel's meter registry exists
        health = new ScanHealthCheck();
        health.setCamelContext(camelContext);
        history = new ScanHistory(operate.historyFile(), files);
        camelContext.addStartupListener((context, alreadyStarted) -> {
            metrics.accountsConfigured(cloudflare.accountIds(), this::lastSuccess, channels());
            metrics.instance(instanceId, clustered());
        });

        registry.bind("scanMetrics", metrics);
        registry.bind("metricsPush", new MetricsPush(operate.pushUrl(),
                operate.pushInstance().isEmpty() ? ClusterSettings.localHostName() : operate.pushInstance(), pushed,
                operate.pushTimeout(), failureText, clock));
        registry.bind("scanHealthCheck", health);
        registry.bind("scanRuns", scanRuns());
        registry.bind("runOnce", new RunOnce(failureText,
                cloudflare.scanTimeout().multipliedBy(Math.max(1, cloudflare.accountIds().size())).plusHours(1)));
        registry.bind("shrinkGuard", shrinkGuard());
        // sentinel.parallel-accounts: the threads scan-all-accounts splits the accounts over, and
        // those of their turns' three branches (classify a page, fetch the next, a page of devices
        // beside), so that no branch waits for a thread (Camel's default pool has ten)
        int sideBySide = Math.max(1, Math.min(scan.parallelAccounts(), cloudflare.accountIds().size()));
        registry.bind("accountScans", camelContext.getExecutorServiceManager().newFixedThreadPool(this, "account-scan", sideBySide));
        registry.bind("accountTurns", camelContext.getExecutorServiceManager().newFixedThreadPool(this, "account-turn", 3 * sideBySide));
        // one pool for the finding state and the cluster: a connection per account side by side, and
        // Quartz's (its job, cluster check-in, misfire handler, the job's completion) and the
        // readiness check's, so a long save never makes the check-in wait and the instance look dead
        StateDatabase database = state.database(scan.parallelAccounts() + 6, clustered());
        if (database != null) {
            closeWhenStopped(camelContext, database);
        }
        registry.bind("stateStore", state.store(files, database));
        Duration misfireGrace = Scheduling.misfireGrace(scan.schedule(), scan.timeZone());
        if (clustered()) {
            QuartzCluster.install(camelContext, cluster, database, instanceId, misfireGrace);
            registry.bind("clusterHealthCheck", new ClusterHealthCheck(database, instanceId, failureText, clock,
                    camelContext.getExecutorServiceManager().newSingleThreadExecutor(this, "cluster-readiness")));
        } else if (!scan.once()) {
            Scheduling.installAlone(camelContext, misfireGrace);
        }
        registry.bind("reportFiles", reportFiles());
        registry.bind("reportIndex", new ReportIndex(report, history, files, clock));
        CloudflareUrls cloudflareUrls = new CloudflareUrls(cloudflare.baseUrl());
        RegistrationPages registrationPages = new RegistrationPages(cloudflare, cloudflareUrls, classify.needsPolicy(), failureText,
                metrics, clock);
        registry.bind("registrationPages", registrationPages);
        registry.bind("cloudflareCalls", new CloudflareCalls(cloudflare.token(), remediate.writeToken(), clock));
        registry.bind("nextPage", new NextPage());
        registry.bind("requestBudget", new RequestBudget(cloudflare.budget(), clock));
        registry.bind("cloudflareReadRetries", new CloudflareRetries(false, cloudflare, failureText, metrics, clock));
        registry.bind("cloudflareWriteRetries", new CloudflareRetries(true, cloudflare, failureText, metrics, clock));
        registry.bind("classifier", new RegistrationClassifier(classify));
        registry.bind("physicalDevices", new PhysicalDevices(classify.withDevices(), cloudflare.perPage(), cloudflareUrls, registrationPages,
                failureText, metrics));
        registry.bind("recordVerdict", new RecordVerdict());
        registry.bind("offerCandidate", new OfferCandidate());
        registry.bind("remediator", new Remediator(remediate, classify.exclusions(), cloudflareUrls, new RegistrationCalls(failureText),
                registrationPages, files, failureText, metrics, clock));
        EmailMessages emailMessages = email.messages(report.timeZone());
        Webhooks webhooks = new Webhooks(webhookTargets, clock);
        registry.bind("emailMessages", emailMessages);
        registry.bind("webhooks", webhooks);
        registry.bind("deliveryChannels", new DeliveryChannels(emailMessages, webhooks, metrics));
        registry.bind("deliveryRetryLog", new DeliveryRetryLog(failureText));
        registry.bind("ownerNotices", ownerNotices());
        registry.bind("deadLetters", deadLetters());
        Session emailSession = email.enabled() || state.policy().ownerNotices() ? email.session() : null;
        if (emailSession != null) {
            // only then does an e-mail route exist (their preconditions) and need a session
            registry.bind("emailSession", emailSession);
        }
        registry.bind("validation", new Validation(emailSession, email.relay(), webhookTargets, classify, remediate, operate.pushUrl(),
                failureText));
        logStart(demo);
        logWhereHealthAndMetricsListen(camelContext);
    }

    /** Every setting checked, each package's read, the secrets among them registered for redaction. */
    private void readSettings() {
        source = new SettingsSource(camel.getPropertiesComponent());
        SentinelSettings.SCHEMA.checkAll(source);
        scan = ScanSettings.read(source);
        cloudflare = CloudflareSettings.read(source, DemoSettings.ENABLED.read(source));
        classify = ClassifySettings.read(source);
        report = ReportSettings.read(source);
        state = StateSettings.read(source, report.messageMaxRows());
        delivery = DeliverySettings.read(source);
        email = EmailSettings.read(source);
        webhookTargets = WebhookSettings.read(source);
        remediate = RemediateSettings.read(source);
        cluster = ClusterSettings.read(source);
        files = PrivateFiles.PERMISSIONS.read(source);
        SentinelSettings.SCHEMA.registerSecrets(source, webhookTargets.stream().map(WebhookTarget::name).toList(), Secrets.global());
        Hosts.warnIfPlainHttp(cloudflare.baseUrl(), CloudflareSettings.BASE_URL.key());
        if (classify.platformWindowsProblem() != null) {
            LOG.warn(classify.platformWindowsProblem());
        }
        webhookTargets.forEach(target -> Hosts.warnIfPlainHttp(target.url(), WebhookSettings.URL.named(target.name())));
    }

    /** When the account's last complete scan ended, from the run history; 0 for never, or when the history cannot be read. */
    private long lastSuccess(String accountId) {
        try {
            return history.lastComplete(accountId).map(ScanHistory::endedAtEpochSecond).orElse(0L);
        } catch (RuntimeException unreadable) {
            LOG.warn("The run history cannot be read, so the last-success metric starts at 0: {}", failureText.describe(unreadable));
            return 0;
        }
    }

    /** The channels reports go to, as the metrics name them. */
    private List<String> channels() {
        List<String> channels = new ArrayList<>();
        if (email.enabled()) {
            channels.add(EmailMessages.CHANNEL);
        }
        webhookTargets.forEach(target -> channels.add(target.channel()));
        if (state.policy().ownerNotices()) {
            channels.add(OwnerNotices.CHANNEL);
        }
        return channels;
    }

    private ScanRuns scanRuns() {
        return new ScanRuns(classify.stalePolicy(), cloudflare.accountIds(), clock, failureText, history, metrics, health, scan.once(),
                instanceId);
    }

    /** A cluster schedules scans: a run-once process is never a member, whatever the setting says. */
    private boolean clustered() {
        return cluster.enabled() && !scan.once();
    }

    /** Closed once Camel has stopped everything that uses it (Quartz's scheduler last among them). */
    private static void closeWhenStopped(CamelContext camelContext, AutoCloseable resource) {
        camelContext.getManagementStrategy().addEventNotifier(new EventNotifierSupport() {
            @Override
            public void notify(CamelEvent event) throws Exception {
                if (event instanceof CamelEvent.CamelContextStoppedEvent) {
                    resource.close();
                }
            }
        });
    }

    private ShrinkGuard shrinkGuard() {
        return new ShrinkGuard(scan.maxShrink(), scan.acceptShrink());
    }

    /** The one line a start prints: what this is, what it will do, for which accounts. */
    private void logStart(DemoSettings demo) {
        String version = Objects.requireNonNullElse(WarpSentinel.class.getPackage().getImplementationVersion(), "(development build)");
        LOG.info("warp-sentinel {} starting: {}; account{} {}{}{}{}", version, scan.mode(), cloudflare.accountIds().size() == 1 ? "" : "s",
                String.join(", ", cloudflare.accountIds()), demo.enabled() ? " of the embedded demo API" : "",
                remediate.enabled() ? "; remediation: " + remediate.action().label() + (remediate.dryRun() ? " (dry run)" : "") : "",
                clustered() ? "; cluster member " + instanceId : "");
    }

    /**
     * Once Camel's management server listens (as a service, or with camel.management.enabled), one
     * line with where: its address, and URLs one can open. Read off the running server rather than
     * the settings, so the port is the one it got (camel.management.port=0 takes any free one) and
     * the paths are Camel's own.
     */
    private static void logWhereHealthAndMetricsListen(CamelContext camelContext) throws Exception {
        camelContext.addStartupListener(new StartupListener() {
            @Override
            public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
            }

            @Override
            public void onCamelContextFullyStarted(CamelContext context, boolean alreadyStarted) {
                ManagementHttpServer management = context.hasService(ManagementHttpServer.class);
                VertxPlatformHttpServer server = context.hasService(VertxPlatformHttpServer.class);
                if (management == null || server == null) {
                    return;
                }
                List<String> paths = new ArrayList<>();
                if (management.isHealthCheckEnabled()) {
                    paths.addAll(List.of(management.getHealthPath(), management.getHealthPath() + "/live", management.getHealthPath() + "/ready"));
                }
                MicrometerPrometheus metrics = context.hasService(MicrometerPrometheus.class);
                if (management.isMetricsEnabled() && metrics != null) {
                    paths.add(metrics.getPath());
                }
                String host = management.getHost() == null || management.getHost().isBlank() ? "0.0.0.0" : management.getHost();
                // where it listens, not an address a browser opens
                boolean everyInterface = host.equals("0.0.0.0") || host.equals("::");
                String url = "http://" + (everyInterface ? "localhost" : host.contains(":") ? "[" + host + "]" : host) + ":" + server.getPort();
                LOG.info("Health and metrics on {}:{}{}: {}{}", host, server.getPort(), everyInterface ? " (every interface)" : "", url,
                        String.join(", ", paths));
            }
        });
    }

    private ReportFiles reportFiles() {
        return new ReportFiles(report, history, RegistrationPages.filters(cloudflare.perPage(), classify.needsPolicy()), files);
    }

    private OwnerNotices ownerNotices() {
        return new OwnerNotices(email.from(), delivery.noticeSubject(), delivery.noticeBody(), remediate.ownerNotice(), metrics);
    }

    private DeadLetters deadLetters() {
        return new DeadLetters(delivery.deadLetterDir(), failureText, metrics, files, clock);
    }
}
