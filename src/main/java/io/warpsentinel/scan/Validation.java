package io.warpsentinel.scan;

import io.warpsentinel.classify.ClassifySettings;
import io.warpsentinel.classify.StaleWindows;
import io.warpsentinel.deliver.WebhookTarget;
import io.warpsentinel.finding.AccountScan;
import io.warpsentinel.finding.Remediation.Action;
import io.warpsentinel.remediate.RemediateSettings;
import io.warpsentinel.secrets.FailureText;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the validation route ({@code sentinel.validate=true}) calls: proves the configuration
 * works without scanning or writing anything, and prints a checklist. The settings were checked
 * before any of this (a wrong one stops the start); here: each account's registrations can be
 * listed with the token (one request of one registration), the SMTP relay accepts a connection,
 * its TLS and the login (no mail is sent), each webhook's host and the Pushgateway's resolve, and
 * the stale-after windows can apply (a platform's needs the devices' details).
 */
public final class Validation {

    private static final Logger LOG = LoggerFactory.getLogger("validate");

    private final Session emailSession;
    private final String emailRelay;
    private final List<WebhookTarget> webhooks;
    private final ClassifySettings classify;
    private final RemediateSettings remediate;
    private final String metricsPushUrl;
    private final FailureText failureText;

    /**
     * @param emailSession   the relay's session when e-mail or owner notices are on, else null
     * @param metricsPushUrl sentinel.metrics.push-url, empty when unset
     */
    public Validation(Session emailSession, String emailRelay, List<WebhookTarget> webhooks, ClassifySettings classify,
                      RemediateSettings remediate, String metricsPushUrl, FailureText failureText) {
        this.emailSession = emailSession;
        this.emailRelay = emailRelay;
        this.webhooks = List.copyOf(webhooks);
        this.classify = classify;
        this.remediate = remediate;
        this.metricsPushUrl = metricsPushUrl;
        this.failureText = failureText;
    }

    /** The checklist, one line per check, in the order they ran. */
    public static final class Checklist {
        private final List<String> lines = new ArrayList<>();
        private int failures;

        void passed(String what) {
            lines.add("[ok]   " + what);
        }

        /** A check that did not pass, but leaves the scan working: the validation still passes. */
        void warned(String what) {
            lines.add("[warn] " + what);
        }

        void failed(String what) {
            lines.add("[FAIL] " + what);
            failures++;
        }

        public boolean isPassed() {
            return failures == 0;
        }
    }

    public Checklist start() {
        Checklist checklist = new Checklist();
        checklist.passed("settings: every setting is known and readable");
        return checklist;
    }

    public void accountPassed(@ExchangeProperty("validation") Checklist checklist, @ExchangeProperty(AccountScan.PROPERTY) AccountScan scan) {
        checklist.passed("account " + scan.getAccountId() + ": the token can list its registrations");
    }

    public void accountFailed(@ExchangeProperty("validation") Checklist checklist, @ExchangeProperty(AccountScan.PROPERTY) AccountScan scan,
                              @ExchangeProperty(Exchange.EXCEPTION_CAUGHT) Throwable cause) {
        checklist.failed("account " + scan.getAccountId() + ": " + failureText.describe(cause));
    }

    public void devicesPassed(@ExchangeProperty("validation") Checklist checklist, @ExchangeProperty(AccountScan.PROPERTY) AccountScan scan) {
        checklist.passed("account " + scan.getAccountId() + ": the token can read its physical devices (device details)");
    }

    /** The physical devices refused: scans work, their reports without device details. */
    public void devicesUnavailable(@ExchangeProperty("validation") Checklist checklist, @ExchangeProperty(AccountScan.PROPERTY) AccountScan scan,
                                   @ExchangeProperty(Exchange.EXCEPTION_CAUGHT) Throwable cause) {
        checklist.warned("account " + scan.getAccountId() + ": device details will be unavailable (reports complete without them): "
                + failureText.describe(cause) + "; set sentinel.devices.enrich=false to skip the look-up");
    }

    /** Connects to the relay as a delivery would: EHLO, STARTTLS or TLS, AUTH when a username is set. Sends nothing. */
    public void checkEmail(@ExchangeProperty("validation") Checklist checklist) {
        if (emailSession == null) {
            return;
        }
        try (Transport transport = emailSession.getTransport("smtp")) {
            transport.connect();
            checklist.passed("e-mail: the relay " + emailRelay + " accepted the connection (no mail sent)");
        } catch (MessagingException e) {
            checklist.failed("e-mail: the relay " + emailRelay + ": " + failureText.describe(e.getCause() != null ? e.getCause() : e));
        }
    }

    public void checkWebhooks(@ExchangeProperty("validation") Checklist checklist) {
        for (WebhookTarget target : webhooks) {
            checkHost(checklist, target.channel(), target.url());
        }
    }

    /** With sentinel.metrics.push-url: does the Pushgateway's host resolve? (Nothing is pushed.) */
    public void checkMetricsPush(@ExchangeProperty("validation") Checklist checklist) {
        if (!metricsPushUrl.isEmpty()) {
            checkHost(checklist, "metrics push", metricsPushUrl);
        }
    }

    /** Whether the host of {@code url} resolves; {@code what} names it, never the URL (it may hold a credential). */
    private static void checkHost(Checklist checklist, String what, String url) {
        String host = URI.create(url).getHost();
        if (host == null) {
            // e.g. a name with '_', which no DNS name has: java.net would not even try
            checklist.failed(what + ": its URL has no host name a request could go to");
            return;
        }
        try {
            InetAddress.getAllByName(host);
            checklist.passed(what + ": its host " + host + " resolves");
        } catch (UnknownHostException e) {
            checklist.failed(what + ": its host " + host + " does not resolve");
        }
    }

    /**
     * With windows per device profile or platform: which window judges what, and a failure when
     * the platforms' windows can never apply (the devices' look-up turned off).
     */
    public void checkStaleWindows(@ExchangeProperty("validation") Checklist checklist) {
        StaleWindows windows = classify.windows();
        if (!windows.hasProfiles() && !windows.hasPlatforms()) {
            return;
        }
        String problem = classify.platformWindowsProblem();
        if (problem != null) {
            checklist.failed("stale-after windows: " + problem);
            return;
        }
        checklist.passed("stale-after windows, first match: " + windows.all().stream().skip(1).map(StaleWindows.Window::label)
                .collect(Collectors.joining(", ")) + ", else " + windows.all().get(0).label()
                + (windows.hasProfiles() ? "; the listing asks for each registration's profile (include=policy)" : "")
                + (windows.hasPlatforms() ? "; platforms from the devices' details" : ""));
    }

    /**
     * With remediation on: what it would do, and whether the write token is there (no write call
     * is made; a dry run needs none).
     */
    public void checkRemediation(@ExchangeProperty("validation") Checklist checklist) {
        if (!remediate.enabled()) {
            return;
        }
        String what = "remediation: " + remediate.action().label() + (remediate.action() == Action.REVOKE_THEN_DELETE
                ? " (delete-after " + remediate.deleteAfterText() + ")" : "") + ", at most " + remediate.maxPerRun() + " per account and run"
                + (remediate.keepsLastDevices()
                ? ", a user's last device only once unseen for longer than " + days(remediate.lastDeviceAfter()) : "");
        if (remediate.dryRun()) {
            checklist.passed(what + ", as a dry run" + (remediate.writeToken().isEmpty() ? " (cloudflare.api-write-token is not set: "
                    + "set it before turning the dry run off)" : " (cloudflare.api-write-token is set; it is not tried)"));
        } else {
            checklist.passed(what + "; cloudflare.api-write-token is set (not tried: that would take a write call)");
        }
    }

    /** P90D as configured, not Duration's PT2160H. */
    private static String days(Duration duration) {
        return duration.toSeconds() % Duration.ofDays(1).toSeconds() == 0 ? "P" + duration.toDays() + "D" : duration.toString();
    }

    /** Prints the checklist; run-once mode then exits 0 when every check passed, else 1. */
    public void print(@ExchangeProperty("validation") Checklist checklist) {
        LOG.info("Validation of warp-sentinel's configuration:");
        checklist.lines.forEach(line -> LOG.info("  {}", line));
        if (checklist.isPassed()) {
            LOG.info("Validation passed: the settings work");
        } else {
            LOG.error("Validation failed: {} problem{} (see [FAIL] above)", checklist.failures, checklist.failures == 1 ? "" : "s");
        }
    }
}
