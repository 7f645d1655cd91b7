package io.warpsentinel.operate;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.warpsentinel.http.HttpBounds;
import io.warpsentinel.secrets.FailureText;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.stream.Collectors;
import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the push-metrics route calls: a run-once process exits before any scraper comes, so at the
 * end of its run (a failed one too: the last scan's status is the point) it hands its
 * warp_sentinel_* meters to a Prometheus Pushgateway ({@code sentinel.metrics.push-url}), under
 * job {@value #JOB} and its instance. Only the project's own meters: the JVM's and Camel's of a
 * process that is gone would say nothing. A push that fails is one WARN and never the run's outcome.
 */
public final class MetricsPush {

    /** The job label of every push: the group's name in the Pushgateway, and what alert rules select. */
    public static final String JOB = "warp-sentinel";
    static final String OWN_PREFIX = "warp_sentinel_";

    private static final Logger LOG = LoggerFactory.getLogger(MetricsPush.class);
    // the text format every Pushgateway version reads
    private static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final URI groupUrl;
    private final String authorization;
    private final String instance;
    private final PrometheusMeterRegistry registry;
    private final Duration timeout;
    private final FailureText failureText;
    private final Clock clock;

    /**
     * @param pushUrl  the Pushgateway's URL (user-info becomes basic auth), empty for no push
     * @param instance the group's instance label: the same from run to run, so each push replaces the one before
     * @param registry where the meters are, bound for Camel too when it serves metrics; null for no push
     */
    public MetricsPush(String pushUrl, String instance, PrometheusMeterRegistry registry, Duration timeout, FailureText failureText,
                       Clock clock) {
        this.registry = registry;
        this.instance = instance;
        this.timeout = timeout;
        this.failureText = failureText;
        this.clock = clock;
        if (pushUrl.isEmpty() || registry == null) {
            this.groupUrl = null;
            this.authorization = null;
            return;
        }
        URI base = URI.create(pushUrl);
        String path = base.getRawPath() == null ? "" : base.getRawPath().replaceAll("/+$", "");
        try {
            // HttpClient refuses user-info in a request URI: it goes as a header
            this.groupUrl = new URI(base.getScheme(), null, base.getHost(), base.getPort(), null, null, null)
                    .resolve(path + "/metrics/job/" + JOB + "/instance/" + instance);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(e);
        }
        this.authorization = base.getRawUserInfo() == null ? null
                : "Basic " + Base64.getEncoder().encodeToString(base.getUserInfo().getBytes(StandardCharsets.UTF_8));
    }

    /** Whether the run that just ended pushes: a push URL is set, and it was a scan (a validation checks, it measures nothing). */
    public boolean due(@ExchangeProperty("validation") Object validation) {
        return groupUrl != null && validation == null;
    }

    /**
     * The request: PUT, not POST, because PUT replaces the whole group, so a series of the run
     * before (an account since removed, a reason or an outcome that did not occur this time)
     * vanishes instead of standing in the Pushgateway forever with its old value. The URL goes in
     * the CamelHttpUri header, never an endpoint URI, which Camel would keep and print.
     */
    public void prepareRequest(Exchange exchange) {
        var message = exchange.getMessage();
        message.setBody(ownMetrics(registry.scrape()));
        message.setHeader(Exchange.HTTP_METHOD, "PUT");
        message.setHeader(Exchange.HTTP_URI, groupUrl.toString());
        message.setHeader(Exchange.CONTENT_TYPE, CONTENT_TYPE);
        if (authorization != null) {
            message.setHeader("Authorization", authorization);
        }
        message.setHeader(HttpBounds.DEADLINE_HEADER, clock.millis() + timeout.toMillis());
    }

    /** A Pushgateway accepts a push with 200 (202 before version 1.0); anything else, and why it said so, fails it. */
    public void checkAnswer(@Header(Exchange.HTTP_RESPONSE_CODE) Integer status, @Body String answer) {
        if (status == null || status / 100 != 2) {
            String why = answer == null || answer.isBlank() ? "" : ": " + answer.strip().lines().findFirst().orElse("");
            throw new PushRejectedException("the Pushgateway answered HTTP " + status + why);
        }
        LOG.info("Metrics pushed to the Pushgateway at {} (job {}, instance {})", where(), JOB, instance);
    }

    /** One WARN, naming the Pushgateway by its host alone: its URL may hold a password. */
    public void failed(@ExchangeProperty(Exchange.EXCEPTION_CAUGHT) Throwable cause) {
        LOG.warn("The run's metrics were not pushed to the Pushgateway at {} (the exit status stays the run's): {}", where(),
                failureText.describe(cause));
    }

    private String where() {
        return groupUrl.getHost() + (groupUrl.getPort() < 0 ? "" : ":" + groupUrl.getPort());
    }

    /**
     * The warp_sentinel_* families of a scrape in Prometheus' text format, whatever else the
     * registry holds (Camel's and the JVM's meters when camel.metrics.enabled is set too). A line
     * is a family's HELP or TYPE, or a sample that begins with the family's name and a suffix.
     */
    static String ownMetrics(String scrape) {
        return scrape.lines().filter(line -> {
            String name = line.startsWith("# HELP ") || line.startsWith("# TYPE ") ? line.substring(7) : line;
            return name.startsWith(OWN_PREFIX);
        }).collect(Collectors.joining("\n", "", "\n"));
    }

    /** A Pushgateway's answer other than 2xx. */
    public static final class PushRejectedException extends RuntimeException {
        PushRejectedException(String message) {
            super(message);
        }
    }
}
