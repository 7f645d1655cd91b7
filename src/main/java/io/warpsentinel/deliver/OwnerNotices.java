package io.warpsentinel.deliver;

import static io.warpsentinel.report.Wording.oneLine;

import io.warpsentinel.finding.AccountScan;
import io.warpsentinel.finding.Reason;
import io.warpsentinel.finding.Registration;
import io.warpsentinel.finding.Remediation;
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
import java.util.stream.Collectors;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the owner-notice routes call: one short e-mail per user whose own registrations look
 * unused (stale, superseded, never used), naming each device, why, and what to do, from a
 * configurable template; never to a service token's address. A user is noticed again about
 * the same device only after {@code sentinel.alert.remind-after} (never, when it is unset);
 * which devices are due (skip lists and the per-run cap applied) is the {@link AccountState}'s call.
 */
public final class OwnerNotices {

    /** How logs, metrics and dead letters name owner notices. */
    public static final String CHANNEL = "owner notice";

    private static final Logger LOG = LoggerFactory.getLogger(OwnerNotices.class);
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{(user|devices|count|stale_after|account|action)}");
    private static final String ATOM = "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+";
    private static final String LABEL = "[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?";
    private static final Pattern PLAIN_ADDRESS = Pattern.compile(ATOM + "(?:\\." + ATOM + ")*@" + LABEL + "(?:\\." + LABEL + ")+");

    private final String from;
    private final String subject;
    private final String body;
    private final String actedText;
    private final ScanMetrics metrics;

    /**
     * One user's notice: the address, the stale registrations due a notice, and those remediation
     * revoked or deleted this run (named when {@code sentinel.remediate.owner-notice} is set).
     */
    public record OwnerNotice(String to, List<NoticeDue> devices, List<Remediation.Entry> acted) {

        /** Names the channel in metrics, logs and dead letters (the address is in the dead letter's "to"). */
        public String channel() {
            return CHANNEL;
        }
    }

    /**
     * @param subject the subject template; {@code {count}} is replaced by the number of devices
     * @param body      the text template: {@code {user}}, {@code {devices}} (one line per device),
     *                  {@code {count}}, {@code {stale_after}} and {@code {account}} are replaced
     * @param actedText added when remediation revoked or deleted some of the user's registrations:
     *                  {@code {action}} and {@code {devices}} are replaced; empty: never
     */
    public OwnerNotices(String from, String subject, String body, String actedText, ScanMetrics metrics) {
        this.metrics = metrics;
        this.from = from;
        this.subject = subject;
        this.body = body;
        this.actedText = actedText;
    }

    /**
     * The notices this account's scan calls for, one per user (addresses compared
     * case-insensitively). A user's e-mail comes from whoever enrolled the device: only one plain
     * address is ever mailed ({@code a@b, c@d} would mail both, naming the first one's devices);
     * anything else is skipped and listed, never retried.
     */
    public List<OwnerNotice> due(@ExchangeProperty(AccountScan.PROPERTY) AccountScan scan) {
        AccountState state = scan.get(AccountState.class);
        ReportSummary report = scan.get(ReportSummary.class);
        Map<String, OwnerNotice> byUser = new LinkedHashMap<>();
        Set<String> skipped = new TreeSet<>();
        for (NoticeDue due : state.getNoticesDue()) {
            String raw = due.verdict().registration().userEmail();
            String address = singleAddress(raw);
            if (address == null) {
                skipped.add(FailureText.escapeControls(raw));
                continue;
            }
            notice(byUser, address).devices().add(due);
        }
        Remediation remediation = report == null ? null : report.remediation();
        if (state.getPolicy().ownerNotices() && !actedText.isEmpty() && remediation != null && !remediation.dryRun()) {
            // a device revoked or deleted: its owner is told, notice due or not, unless never noticed (skip-users, skip-devices)
            for (Remediation.Entry entry : remediation.actions()) {
                String address = singleAddress(entry.registration().userEmail());
                if (entry.isDone() && address != null && !entry.registration().isServiceToken()
                        && state.getPolicy().neverNoticed().ruleFor(entry.registration()) == null) {
                    notice(byUser, address).acted().add(entry);
                }
            }
        }
        if (!skipped.isEmpty()) {
            LOG.warn("Account {}: no owner notice for {} user e-mail(s) that are not one plain address: {}", state.getAccountId(),
                    skipped.size(), String.join(" | ", skipped));
        }
        if (state.getNoticesDeferred() > 0) {
            LOG.info("Account {}: {} more devices are due an owner notice past sentinel.owner-notice.max-per-run; they wait for the next scan",
                    state.getAccountId(), state.getNoticesDeferred());
        }
        return List.copyOf(byUser.values());
    }

    private static OwnerNotice notice(Map<String, OwnerNotice> byUser, String address) {
        return byUser.computeIfAbsent(address.toLowerCase(Locale.ROOT), user -> new OwnerNotice(address, new ArrayList<>(), new ArrayList<>()));
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

    public void prepare(@ExchangeProperty("notice") OwnerNotice notice, @ExchangeProperty(AccountScan.PROPERTY) AccountScan scan, Exchange exchange) {
        ReportSummary report = scan.get(ReportSummary.class);
        var message = exchange.getMessage();
        message.setHeader("From", from);
        message.setHeader("To", notice.to());
        String count = String.valueOf(notice.devices().size() + notice.acted().size());
        message.setHeader("Subject", subject.replace("{count}", count));
        StringBuilder devices = new StringBuilder();
        for (NoticeDue due : notice.devices()) {
            Verdict verdict = due.verdict();
            devices.append(deviceLine(verdict.registration())).append(verdict.daysSinceSeen() == null ? "" : " (" + verdict.daysSinceSeen()
                    + " days ago)").append(", registration ").append(oneLine(verdict.registration().id())).append(": ")
                    .append(why(verdict, report.staleAfter())).append('\n');
        }
        Registration first = notice.devices().isEmpty() ? notice.acted().get(0).registration() : notice.devices().get(0).verdict().registration();
        String user = first.userName() != null && !first.userName().isBlank() ? first.userName() : notice.to();
        Map<String, String> values = Map.of("user", oneLine(user), "devices", devices.toString().stripTrailing(), "count", count,
                "stale_after", report.staleAfter(), "account", report.accountId(), "action", "");
        String text = notice.devices().isEmpty() ? "" : fill(body, values);
        if (!notice.acted().isEmpty()) {
            StringBuilder acted = new StringBuilder();
            notice.acted().forEach(entry -> acted.append(deviceLine(entry.registration())).append(", registration ")
                    .append(oneLine(entry.registration().id())).append('\n'));
            text = (text.isEmpty() ? "" : text.stripTrailing() + "\n\n") + fill(actedText, Map.of("user", oneLine(user), "devices",
                    acted.toString().stripTrailing(), "count", String.valueOf(notice.acted().size()), "stale_after", report.staleAfter(),
                    "account", report.accountId(), "action", done(notice.acted())));
        }
        message.setBody(text);
    }

    /**
     * Why a device is named, for its owner: its reason's description, and for a stale one the
     * window that judged it (a platform's or profile's own, else sentinel.stale-after).
     */
    static String why(Verdict verdict, String staleAfter) {
        String why = verdict.reason().description();
        return verdict.reason() == Reason.STALE ? why + " (" + (verdict.staleAfter() != null ? verdict.staleAfter() : staleAfter) + ")" : why;
    }

    /** What was done to these registrations, in the past tense: "revoked", "deleted", "deleted and revoked". */
    private static String done(List<Remediation.Entry> acted) {
        return acted.stream().map(entry -> entry.action().done()).distinct().sorted().collect(Collectors.joining(" and "));
    }

    private static String deviceLine(Registration registration) {
        return "- " + (registration.deviceName() == null ? "(unnamed device)" : oneLine(registration.deviceName())) + ", last seen "
                + oneLine(registration.lastSeenAt());
    }

    /** Replaces each {name} in one pass: a device or user name that contains "{devices}" stays text. */
    private static String fill(String template, Map<String, String> values) {
        return PLACEHOLDER.matcher(template).replaceAll(match -> Matcher.quoteReplacement(values.get(match.group(1))));
    }

    /** The notice was delivered: its devices wait for the reminder interval before the next one. */
    public void sent(@ExchangeProperty("notice") OwnerNotice notice, @ExchangeProperty(AccountScan.PROPERTY) AccountScan scan) {
        AccountState state = scan.get(AccountState.class);
        notice.devices().forEach(state::ownerNoticed);
        metrics.delivery(state.getAccountId(), notice.channel(), true);
    }
}
