package io.warpsentinel.deliver;

import java.util.Map;

/**
 * One webhook receiver, configured by name ({@code sentinel.webhook.<name>.*}).
 *
 * @param findingsLimit how many findings the message lists (new first, then most days since seen); -1
 *                      sends the whole JSON report (format json only)
 */
public record WebhookTarget(String name, String url, Format format, String secret, Map<String, String> headers,
                            int findingsLimit, boolean onlyWithFindings) implements DeliveryChannel {

    public enum Format { JSON, SLACK, TEAMS }

    public static final int WHOLE_REPORT = -1;

    public boolean signed() {
        return secret != null && !secret.isEmpty();
    }

    /** Names the target in logs and dead letters; never its URL, which often holds a secret (Slack, Teams). */
    @Override
    public String channel() {
        return "webhook " + name;
    }

    /** The whole JSON report is sent ({@code findings-limit=all}), not a message built from it. */
    public boolean wholeReport() {
        return findingsLimit == WHOLE_REPORT;
    }
}
