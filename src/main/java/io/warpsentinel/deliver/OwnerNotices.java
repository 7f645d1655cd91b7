package io.warpsentinel.deliver;

import io.warpsentinel.finding.Registration;
import io.warpsentinel.finding.Verdict;
import io.warpsentinel.operate.ScanMetrics;
import io.warpsentinel.report.ReportSummary;
import io.warpsentinel.secrets.FailureText;
import io.warpsentinel.state.AccountState.NoticeDue;
import io.warpsentinel.state.AccountState;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the owner-notice routes call: one short e-mail per user whose own registrations are stale,
 * naming the devices and what to do, from a configurable template. A user is noticed again about
 * the same device only after {@code sentinel.alert.remind-after} (never, when it is unset);
 * which devices are due (skip lists and the per-run cap applied) is the {@link AccountState}'s call.
 */
public final class OwnerNotices {

    private static final Logger LOG = LoggerFactory.getLogger(OwnerNotices.class);
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{(user|devices|count|stale_after|account)}");
    private static final String ATOM = "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+";
    private static final String LABEL = "[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?";
    private static final Pattern PLAIN_ADDRESS = Pattern.compile(ATOM + "(?:\\." + ATOM + ")*@" + LABEL + "(?:\\." + LABEL + ")+");

    private final String from;
    private final String subject;
    private final String body;
    private final ScanMetrics metrics;

    /** One user's notice: the address and the stale registrations it names. */
    public record OwnerNotice(String to, List<NoticeDue> devices) {

        /** Names the channel in metrics, logs and dead letters (the address is in the dead letter's "to"). */
        public String channel() {
            return "owner notice";
        }
    }

    /**
     * @param subject the subject template; {@code {count}} is replaced by the number of devices
     * @param body    the text template: {@code {user}}, {@code {devices}} (one line per device),
     *                {@code {count}}, {@code {stale_after}} and {@code {account}} are replaced
     */
    public OwnerNotices(String from, String subject, String body, ScanMetrics metrics) {
        this.metrics = metrics;
        this.from = from;
        this.subject = subject;
        this.body = body;
    }

    /**
     * The notices this account's scan calls for, one per user (addresses compared
     * case-insensitively). A user's e-mail comes from whoever enrolled the device: only one plain
     * address is ever mailed ({@code a@b, c@d} would mail both, naming the first one's devices);
     * anything else is skipped and listed, never retried.
     */
    public List<OwnerNotice> due(@ExchangeProperty("state") AccountState state) {
        Map<String, List<NoticeDue>> byUser = new LinkedHashMap<>();
        Set<String> skipped = new TreeSet<>();
        for (NoticeDue due : state.getNoticesDue()) {
            String raw = due.verdict().registration().userEmail();
            String address = singleAddress(raw);
            if (address == null) {
                skipped.add(FailureText.escapeControls(raw));
                continue;
            }
            byUser.computeIfAbsent(address.toLowerCase(Locale.ROOT), user -> new ArrayList<>()).add(due);
        }
        if (!skipped.isEmpty()) {
            LOG.warn("Account {}: no owner notice for {} user e-mail(s) that are not one plain address: {}", state.getAccountId(),
                    skipped.size(), String.join(" | ", skipped));
        }
        if (state.getNoticesDeferred() > 0) {
            LOG.info("Account {}: {} more devices are due an owner notice past sentinel.owner-notice.max-per-run; they wait for the next scan",
                    state.getAccountId(), state.getNoticesDeferred());
        }
        List<OwnerNotice> notices = new ArrayList<>();
        byUser.forEach((user, devices) -> notices.add(new OwnerNotice(singleAddress(devices.get(0).verdict().registration().userEmail()),
                devices)));
        return notices;
    }

    /**
     * The address when {@code value} is exactly one plain e-mail address, else null: a dot-atom
     * local part (no quotes, no list separators: camel-mail splits a {@code To} header on them
     * whatever the quoting) and a domain of at least two labels. Anything fancier gets no notice.
     */
    static String singleAddress(String value) {
        if (value == null) {
            return null;
        }
        String candidate = value.strip();
        if (candidate.length() > 254 || !PLAIN_ADDRESS.matcher(candidate).matches()) {
            return null;
        }
        try {
            new InternetAddress(candidate, true).validate();
            return candidate;
        } catch (AddressException notAnAddress) {
            return null;
        }
    }

    public void prepare(@ExchangeProperty("notice") OwnerNotice notice, @ExchangeProperty("summary") ReportSummary report,
                        Exchange exchange) {
        var message = exchange.getMessage();
        message.setHeader("From", from);
        message.setHeader("To", notice.to());
        String count = String.valueOf(notice.devices().size());
        message.setHeader("Subject", subject.replace("{count}", count));
        StringBuilder devices = new StringBuilder();
        for (NoticeDue due : notice.devices()) {
            Verdict verdict = due.verdict();
            Registration registration = verdict.registration();
            devices.append("- ").append(registration.deviceName() == null ? "(unnamed device)" : oneLine(registration.deviceName()))
                    .append(", last seen ").append(registration.lastSeenAt())
                    .append(verdict.daysSinceSeen() == null ? "" : " (" + verdict.daysSinceSeen() + " days ago)")
                    .append(", registration ").append(registration.id()).append('\n');
        }
        Registration first = notice.devices().get(0).verdict().registration();
        String user = first.userName() != null && !first.userName().isBlank() ? first.userName() : notice.to();
        message.setBody(fill(body, Map.of("user", oneLine(user), "devices", devices.toString().stripTrailing(), "count", count,
                "stale_after", report.staleAfter(), "account", report.accountId())));
    }

    /** Replaces each {name} in one pass: a device or user name that contains "{devices}" stays text. */
    private static String fill(String template, Map<String, String> values) {
        return PLACEHOLDER.matcher(template).replaceAll(match -> Matcher.quoteReplacement(values.get(match.group(1))));
    }

    /** The notice was delivered: its devices wait for the reminder interval before the next one. */
    public void sent(@ExchangeProperty("notice") OwnerNotice notice, @ExchangeProperty("state") AccountState state) {
        notice.devices().forEach(state::ownerNoticed);
        metrics.delivery(state.getAccountId(), notice.channel(), true);
    }

    private static String oneLine(String value) {
        return value.replaceAll("[\\r\\n\\t]+", " ");
    }
}
