package io.warpsentinel.classify;

import io.warpsentinel.finding.AccountScan;
import io.warpsentinel.finding.Registration;
import io.warpsentinel.finding.ScanRun;
import io.warpsentinel.finding.Verdict;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.camel.Body;
import org.apache.camel.ExchangeProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the classification steps call: gives each account's scan its {@link Judge} (the run's
 * {@link Rules}), and hands out the verdicts for the split that records them: a page's as it
 * comes, those the rest of the listing cannot change, then, once the listing is complete, those
 * of the registrations set aside.
 */
public final class RegistrationClassifier {

    private static final Logger LOG = LoggerFactory.getLogger("classify");

    private final ClassifySettings settings;

    public RegistrationClassifier(ClassifySettings settings) {
        this.settings = settings;
    }

    /** The rules of a run: every account of it is judged against its start. */
    public Rules rules(ScanRun run) {
        return new Rules(run.getStartedAt(), settings.windows(), settings.supersededAfter(), settings.neverUsedWithin(),
                settings.neverUsedAfter());
    }

    /** Adds the account's judge, its index of users (when remediation keeps last devices) sized for as many registrations as its last complete scan listed. */
    public Judge judge(@ExchangeProperty(AccountScan.PROPERTY) AccountScan scan) {
        PreviousListing previous = scan.find(PreviousListing.class);
        long expected = previous == null ? -1 : previous.getPreviousRegistrations();
        // a tenth more: a fleet grows, and the index is not copied to grow then
        int size = (int) Math.min(Integer.MAX_VALUE - 16, expected < 0 ? 1024 : expected + expected / 10 + 16);
        return scan.put(Judge.class, new Judge(rules(scan.getRun()), settings.exclusions(), settings.withDevices(), size));
    }

    /** During the listing: the verdicts on the page's registrations the rest of the listing cannot change; the others set aside. */
    public List<Verdict> judgeOrSetAside(@ExchangeProperty(AccountScan.PROPERTY) AccountScan scan, @Body Iterable<Registration> page) {
        return scan.get(Judge.class).judgeOrSetAside(page);
    }

    /**
     * The listing is complete: every registration that may supersede another is known. A device
     * profile with a window of its own that no registration carries is named in one WARN: a
     * misspelt name would otherwise do nothing, silently.
     */
    public void listingComplete(@ExchangeProperty(AccountScan.PROPERTY) AccountScan scan) {
        Judge judge = scan.get(Judge.class);
        judge.listingComplete();
        List<String> unmatched = judge.windows().summary().unmatchedProfiles();
        if (!unmatched.isEmpty()) {
            LOG.warn("Account {}: no registration carries the device profile{} {} of {}, whose window{} never applied: a typo? "
                            + "Names are compared exactly as Cloudflare shows them", scan.getAccountId(), unmatched.size() == 1 ? "" : "s",
                    unmatched.stream().map(name -> "'" + name + "'").collect(Collectors.joining(", ")),
                    ClassifySettings.STALE_AFTER_POLICIES.key(), unmatched.size() == 1 ? "" : "s");
        }
    }

    /** The registrations set aside, judged now that the listing is complete, in listing order. */
    public Iterator<Verdict> setAsideJudged(@ExchangeProperty(AccountScan.PROPERTY) AccountScan scan) {
        return scan.get(Judge.class).setAsideJudged();
    }

    /** The account's scan is over, however it ended: its spool and device directory are freed. */
    public void close(@ExchangeProperty(AccountScan.PROPERTY) AccountScan scan) {
        Judge judge = scan == null ? null : scan.find(Judge.class);
        if (judge != null) {
            judge.close();
        }
    }

    /**
     * RFC 3339: {@code Z} or a numeric offset, optional fractional seconds; RFC 3339 also allows
     * lower-case {@code t}/{@code z} and a space between date and time. Null when unreadable.
     */
    public static Instant parseTimestamp(String text) {
        return text != null && !text.isBlank() ? Rfc3339.parse(text) : null;
    }
}
