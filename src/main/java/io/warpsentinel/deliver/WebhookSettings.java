package io.warpsentinel.deliver;

import static io.warpsentinel.settings.SettingGroup.WEBHOOKS;

import io.warpsentinel.settings.Setting;
import io.warpsentinel.settings.SettingException;
import io.warpsentinel.settings.SettingsSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/** The webhook targets named in sentinel.webhooks, each from its sentinel.webhook.<name>.* settings. */
public final class WebhookSettings {

    public static final Setting<List<String>> NAMES = WEBHOOKS.list("sentinel.webhooks", "",
            "Names of the webhook targets, comma-separated (lower-case letters, digits, `-`, `_`); each is configured by the "
                    + "sentinel.webhook.<name>.* keys below.");
    public static final Setting<String> URL = WEBHOOKS.required("sentinel.webhook.<name>.url", "",
            "The receiver's URL, e.g. from SENTINEL_WEBHOOK_SOC_URL. A secret (Slack and Teams URLs are credentials): redacted by "
                    + "its structure, never an endpoint URI.").secret(Setting.Secret.URL);
    public static final Setting<WebhookTarget.Format> FORMAT = WEBHOOKS.of("sentinel.webhook.<name>.format", "json", "json, slack or teams",
            "`json` (the summary and the first findings), `slack` (Slack incoming webhook, Block Kit) or `teams` (Microsoft Teams "
                    + "incoming webhook, Adaptive Card).",
            value -> WebhookTarget.Format.valueOf((value.isEmpty() ? "json" : value).toUpperCase(Locale.ROOT)));
    public static final Setting<String> SECRET = WEBHOOKS.text("sentinel.webhook.<name>.secret", "",
            "Signs each request (HMAC-SHA256 of the timestamp and the body, docs/delivery.md); set it through the environment, e.g. "
                    + "SENTINEL_WEBHOOK_SOC_SECRET.").secret(Setting.Secret.WHOLE);
    public static final Setting<Map<String, String>> HEADERS = WEBHOOKS.of("sentinel.webhook.<name>.headers", "",
            "'Name: value; Other-Name: value'", "Extra request headers, e.g. an API key of a ticketing system; treated as secrets.",
            WebhookSettings::headers).secret(Setting.Secret.HEADERS);
    public static final Setting<Integer> FINDINGS_LIMIT = WEBHOOKS.of("sentinel.webhook.<name>.findings-limit", "20",
            "a whole number of at least 0, or all",
            "Findings listed in the message (new ones first, then most days since seen; at most sentinel.report.message-max-rows); `all` (format "
                    + "json only) sends the whole JSON report.",
            value -> value.isEmpty() ? 20 : value.equals("all") ? WebhookTarget.WHOLE_REPORT : nonNegative(value));
    public static final Setting<Boolean> ONLY_WITH_FINDINGS = WEBHOOKS.flag("sentinel.webhook.<name>.only-with-findings", "false",
            "`true`: stay quiet on an all-clear.");

    public static final List<Setting<?>> ALL = List.of(NAMES, URL, FORMAT, SECRET, HEADERS, FINDINGS_LIMIT, ONLY_WITH_FINDINGS);

    private static final Pattern NAME = Pattern.compile("[a-z0-9_-]{1,40}");

    private WebhookSettings() {
    }

    public static List<WebhookTarget> read(SettingsSource source) {
        List<WebhookTarget> targets = new ArrayList<>();
        for (String name : NAMES.read(source)) {
            if (!NAME.matcher(name).matches()) {
                throw new SettingException("sentinel.webhooks holds '" + name + "': name webhooks with lower-case letters, digits, '-' and '_'");
            }
            String url = URL.read(source, name);
            if (!url.startsWith("https://") && !url.startsWith("http://")) {
                throw new SettingException(URL.named(name) + " must be an http:// or https:// URL");
            }
            WebhookTarget.Format format = FORMAT.read(source, name);
            int findingsLimit = FINDINGS_LIMIT.read(source, name);
            if (findingsLimit == WebhookTarget.WHOLE_REPORT && format != WebhookTarget.Format.JSON) {
                throw new SettingException(FINDINGS_LIMIT.named(name) + "=all sends the whole JSON report, which only format json can carry");
            }
            targets.add(new WebhookTarget(name, url, format, SECRET.read(source, name), HEADERS.read(source, name), findingsLimit,
                    ONLY_WITH_FINDINGS.read(source, name)));
        }
        return targets;
    }

    /** "Name: value; Other-Name: value" */
    private static Map<String, String> headers(String text) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (String header : text.split(";")) {
            if (header.isBlank()) {
                continue;
            }
            int colon = header.indexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException();
            }
            headers.put(header.substring(0, colon).strip(), header.substring(colon + 1).strip());
        }
        return headers;
    }

    private static int nonNegative(String value) {
        int number = Integer.parseInt(value);
        if (number < 0) {
            throw new IllegalArgumentException();
        }
        return number;
    }
}
