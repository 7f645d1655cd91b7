package io.warpsentinel.state;

import static io.warpsentinel.TestPostgres.PASSWORD;
import static io.warpsentinel.TestPostgres.URL;
import static io.warpsentinel.TestPostgres.USER;
import static io.warpsentinel.state.TrackedFinding.NEVER;
import static org.assertj.core.api.Assertions.assertThat;

import io.warpsentinel.TestPostgres;
import io.warpsentinel.classify.Exclusions;
import io.warpsentinel.files.PrivateFiles;
import io.warpsentinel.finding.AccountScan;
import io.warpsentinel.finding.Reason;
import io.warpsentinel.finding.Registration;
import io.warpsentinel.finding.Remediation.Action;
import io.warpsentinel.finding.ScanRun;
import io.warpsentinel.finding.Verdict;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Both stores after the same scans: every kind of change (new, still, recovered, gone, excluded
 * since), alerted or not, owners noticed or deferred, remediation's actions, a save refused
 * because a later scan saved first, and a row another instance saved meanwhile. The file store
 * is held to the rules written out below; PostgreSQL must load back exactly what the file
 * store does (skipped without the test database, as the other PostgreSQL tests are).
 */
class FindingStoresTest {

    private static final String LONG_AGO = "2020-01-01T00:00:00Z";
    private static final Instant T1 = Instant.parse("2026-03-01T06:00:00Z");
    private static final Instant T2 = T1.plus(Duration.ofDays(1));
    /** A week after the first alerts and notices: reminders are due. */
    private static final Instant T3 = T1.plus(Duration.ofDays(8));
    private static final Instant T4 = T1.plus(Duration.ofDays(9));
    private static final Instant T5 = T1.plus(Duration.ofDays(10));

    private static final AlertPolicy POLICY = new AlertPolicy(true, Duration.ofDays(7), true,
            new Exclusions(List.of("skip*@example.com"), null, List.of(), List.of()), 1, 100);
    /** sentinel.state.keep-removals: every scan above is within it. */
    private static final Duration KEEP_REMOVALS = Duration.ofDays(90);
    /** Scans of the removals' own scenario, whose keep-removals is five days: five and a half days after T1, then an hour on. */
    private static final Instant REMOVALS_3 = T1.plus(Duration.ofHours(132));
    private static final Instant REMOVALS_4 = REMOVALS_3.plusSeconds(3600);

    @TempDir
    Path folder;

    /** What a store loads back: its last complete scan, how many registrations it listed, and its rows by id. */
    record Loaded(Instant previousScan, long registrations, Map<String, StoredFinding> findings, Map<String, StoredRemoval> removals) {

        /** With the removals it remembers too. */
        Loaded remembering(StoredRemoval... rows) {
            Map<String, StoredRemoval> byId = new TreeMap<>();
            for (StoredRemoval row : rows) {
                byId.put(row.registrationId(), row);
            }
            return new Loaded(previousScan, registrations, findings, byId);
        }
    }

    @Test
    void theFileStoreKeepsWhatTheRulesSayAfterEveryKindOfChange() throws Exception {
        List<Loaded> states = scans(new FileStateStorage(folder, PrivateFiles.ownerOnly()), "acc-1");

        assertThat(states).containsExactly(
                // 1: all new and alerted; a's owner noticed (one per scan), b revoked by remediation, e stored once
                loaded(T1, 8, row("a", Reason.STALE, T1, T1, T1), row("b", Reason.STALE, T1, T1, null).acted(Action.REVOKE, T1),
                        row("c", Reason.REVOKED, T1, T1, null), row("e", Reason.STALE, T1, T1, null), row("h", Reason.STALE, T1, T1, null))
                        .remembering(removal("b", T1, null)),
                // 2: the alert not delivered; b still open as revoked, c recovered, e gone, h excluded; a keeps its stored name
                loaded(T2, 5, row("a", Reason.STALE, T1, T1, T1), row("b", Reason.REVOKED, T1, T1, null).acted(Action.REVOKE, T1),
                        row("f", Reason.STALE, T2, null, T2)).remembering(removal("b", T1, null)),
                // 3: reminders due and delivered; a noticed again, f's notice deferred; remediation deletes f
                loaded(T3, 3, row("a", Reason.STALE, T1, T3, T3), row("b", Reason.REVOKED, T1, T3, null).acted(Action.REVOKE, T1),
                        row("f", Reason.STALE, T2, T3, T2).acted(Action.DELETE, T3)).remembering(removal("b", T1, null), removal("f", null, T3)),
                // 4: a recovered, b and f gone; c back, new again; skipme never noticed; b and f removed, still remembered
                loaded(T4, 3, row("c", Reason.STALE, T4, T4, T4), row("skipme", Reason.STALE, T4, T4, null))
                        .remembering(removal("b", T1, null), removal("f", null, T3)),
                // an earlier scan that saves after 4: refused, nothing changed
                loaded(T4, 3, row("c", Reason.STALE, T4, T4, T4), row("skipme", Reason.STALE, T4, T4, null))
                        .remembering(removal("b", T1, null), removal("f", null, T3)),
                // 5, two instances: the earlier one saves n; the later one, which never loaded n, keeps it
                loaded(T5, 4, row("c", Reason.STALE, T4, T4, T4), row("n", Reason.STALE, T5, T5, T5),
                        row("skipme", Reason.STALE, T4, T4, null)).remembering(removal("b", T1, null), removal("f", null, T3)),
                loaded(T5.plusSeconds(3600), 2, row("c", Reason.STALE, T4, T4, T4), row("n", Reason.STALE, T5, T5, T5))
                        .remembering(removal("b", T1, null), removal("f", null, T3)));
    }

    @Test
    void theFileStoreRemembersRemovalsForKeepRemovalsAndForgetsARevokeUndone() throws Exception {
        List<Loaded> states = removalScans(new FileStateStorage(folder, PrivateFiles.ownerOnly()), "acc-1");

        assertThat(states).extracting(Loaded::removals).containsExactly(
                // 1: x and y revoked, z deleted
                removals(removal("x", T1, null), removal("y", T1, null), removal("z", null, T1)),
                // 2: x deleted after its revoke (revoke-then-delete); y listed unrevoked: a person undid the revoke, it is forgotten
                removals(removal("x", T1, T2), removal("z", null, T1)),
                // 3, keep-removals (P5D) after the last action: z's is past, x's is not
                removals(removal("x", T1, T2)),
                // 4, two instances: the earlier one revokes v and saves; the later one, which never loaded v, keeps it
                removals(removal("v", REMOVALS_4, null), removal("x", T1, T2)),
                removals(removal("v", REMOVALS_4, null), removal("x", T1, T2)),
                // 5: x's too is past now
                removals(removal("v", REMOVALS_4, null)));
    }

    @Test
    @ExtendWith(TestPostgres.class)
    void postgresRemembersExactlyTheRemovalsTheFileStoreDoes() throws Exception {
        String account = "removals-" + UUID.randomUUID();
        try (StateDatabase database = new StateDatabase(URL, USER, PASSWORD, 2, false)) {
            try {
                assertThat(removalScans(new PostgresStateStorage(database), account))
                        .isEqualTo(removalScans(new FileStateStorage(folder, PrivateFiles.ownerOnly()), account));
            } finally {
                deleteAccount(account);
            }
        }
    }

    /** Scans of registrations warp-sentinel revokes and deletes, with sentinel.state.keep-removals P5D. */
    private List<Loaded> removalScans(StateStorage storage, String account) throws Exception {
        StateStore store = new StateStore(storage, POLICY, Duration.ofDays(5));
        List<Loaded> states = new ArrayList<>();

        Scan first = new Scan(store, account, T1);
        first.list(listed("x", Reason.STALE), listed("y", Reason.STALE), listed("z", Reason.STALE));
        first.state.acted(listed("x", Reason.STALE).registration(), Action.REVOKE);
        first.state.acted(listed("y", Reason.STALE).registration(), Action.REVOKE);
        first.state.acted(listed("z", Reason.STALE).registration(), Action.DELETE);
        first.save(0, 0);
        states.add(loadBack(storage, account));

        Scan second = new Scan(store, account, T2);
        second.list(listed("x", Reason.REVOKED), listed("y", Reason.STALE));
        assertThat(second.state.revokedByUs(listed("x", Reason.REVOKED).registration())).isEqualTo(T1);
        assertThat(second.state.revokedByUs(listed("y", Reason.STALE).registration())).as("unrevoked by a person").isNull();
        second.state.acted(listed("x", Reason.REVOKED).registration(), Action.DELETE);
        second.save(0, 0);
        states.add(loadBack(storage, account));

        Scan third = new Scan(store, account, REMOVALS_3);
        third.list();
        third.save(0, 0);
        states.add(loadBack(storage, account));

        Scan instanceA = new Scan(store, account, REMOVALS_4);
        Scan instanceB = new Scan(store, account, REMOVALS_4.plusSeconds(3600));
        instanceA.list(listed("v", Reason.STALE));
        instanceA.state.acted(listed("v", Reason.STALE).registration(), Action.REVOKE);
        instanceB.list();
        instanceA.save(0, 0);
        states.add(loadBack(storage, account));
        instanceB.save(0, 0);
        states.add(loadBack(storage, account));

        Scan last = new Scan(store, account, T5);
        last.list();
        last.save(0, 0);
        states.add(loadBack(storage, account));
        return states;
    }

    @Test
    @ExtendWith(TestPostgres.class)
    void postgresLoadsBackExactlyWhatTheFileStoreDoes() throws Exception {
        // an account of its own: other tests share the database, and it is left as found
        String account = "stores-" + UUID.randomUUID();
        try (StateDatabase database = new StateDatabase(URL, USER, PASSWORD, 2, false)) {
            try {
                assertThat(scans(new PostgresStateStorage(database), account))
                        .isEqualTo(scans(new FileStateStorage(folder, PrivateFiles.ownerOnly()), account));
            } finally {
                deleteAccount(account);
            }
        }
    }

    /** Leaves the test database as found: other tests share it. */
    private static void deleteAccount(String account) throws Exception {
        try (Connection connection = DriverManager.getConnection(URL, USER, PASSWORD)) {
            for (String table : List.of("warp_sentinel_finding", "warp_sentinel_removal", "warp_sentinel_scan")) {
                try (PreparedStatement delete = connection.prepareStatement("DELETE FROM " + table + " WHERE account_id = ?")) {
                    delete.setString(1, account);
                    delete.executeUpdate();
                }
            }
        }
    }

    @Test
    void aStateFileWrittenByAnEarlierVersionLoadsUnchanged() throws Exception {
        // as versions before the rows were declared once wrote it: empty times as null, acted only when set
        Files.writeString(folder.resolve("acc-1.jsonl"), """
                {"account_id":"acc-1","last_complete_scan":1000,"registrations":3}
                {"registration_id":"a","reason":"STALE","finding_since":100,"alerted_at":null,"owner_noticed_at":null,\
                "device_name":"Device a","user_email":null,"last_seen_at":"2020-01-01T00:00:00Z"}
                {"registration_id":"b","reason":"REVOKED","finding_since":200,"alerted_at":300,"owner_noticed_at":400,\
                "acted":"revoke","acted_at":500,"device_name":null,"user_email":"b@example.com","last_seen_at":null}
                """);
        FileStateStorage storage = new FileStateStorage(folder, PrivateFiles.ownerOnly());
        StoredFinding a = new StoredFinding("a", Reason.STALE, 100, NEVER, NEVER, Action.NONE, NEVER, "Device a", null, LONG_AGO);
        StoredFinding b = new StoredFinding("b", Reason.REVOKED, 200, 300, 400, Action.REVOKE, 500, null, "b@example.com", null);

        assertThat(loadBack(storage, "acc-1")).isEqualTo(new Loaded(Instant.ofEpochMilli(1000), 3, Map.of("a", a, "b", b), Map.of()));

        // saved again by a scan that changes nothing in them (no alert channel, no owner notices): the same rows load back
        StateStore store = new StateStore(storage, new AlertPolicy(true, null, false, Exclusions.none(), 1, 100), KEEP_REMOVALS);
        Scan scan = new Scan(store, "acc-1", Instant.ofEpochMilli(2000));
        scan.list(listed("a", Reason.STALE), listed("b", Reason.REVOKED));
        scan.save(0, 0);
        assertThat(loadBack(storage, "acc-1")).isEqualTo(new Loaded(Instant.ofEpochMilli(2000), 2, Map.of("a", a, "b", b), Map.of()));
    }

    /** The scans both stores go through, and what the store loads back after each save. */
    private List<Loaded> scans(StateStorage storage, String account) throws Exception {
        StateStore store = new StateStore(storage, POLICY, KEEP_REMOVALS);
        List<Loaded> states = new ArrayList<>();

        Scan first = new Scan(store, account, T1);
        first.list(listed("a", Reason.STALE), listed("b", Reason.STALE), listed("c", Reason.REVOKED), listed("d", Reason.CURRENT),
                listed("e", Reason.STALE), named("e", "Device e listed twice", Reason.STALE), listed("h", Reason.STALE),
                listed(null, Reason.INVALID));
        first.state.acted(listed("b", Reason.STALE).registration(), Action.REVOKE);
        first.save(1, 1);
        states.add(loadBack(storage, account));

        Scan second = new Scan(store, account, T2);
        second.list(named("a", "Device a renamed", Reason.STALE), listed("b", Reason.REVOKED), listed("c", Reason.CURRENT),
                listed("h", Reason.STALE).excludedBy("device-name"), listed("f", Reason.STALE));
        second.save(1, 0);
        states.add(loadBack(storage, account));

        Scan third = new Scan(store, account, T3);
        third.list(listed("a", Reason.STALE), listed("b", Reason.REVOKED), listed("f", Reason.STALE));
        third.state.acted(listed("f", Reason.STALE).registration(), Action.DELETE);
        third.save(1, 1);
        states.add(loadBack(storage, account));

        Scan earlier = new Scan(store, account, T4.minusSeconds(3600));
        earlier.list();
        Scan fourth = new Scan(store, account, T4);
        fourth.list(listed("skipme", Reason.STALE), listed("a", Reason.CURRENT), listed("c", Reason.STALE));
        fourth.save(1, 1);
        states.add(loadBack(storage, account));
        earlier.save(1, 1);
        states.add(loadBack(storage, account));

        Scan instanceA = new Scan(store, account, T5);
        Scan instanceB = new Scan(store, account, T5.plusSeconds(3600));
        instanceA.list(listed("c", Reason.STALE), listed("skipme", Reason.STALE), listed("n", Reason.STALE), listed("d", Reason.CURRENT));
        instanceB.list(listed("c", Reason.STALE), listed("skipme", Reason.CURRENT));
        instanceA.save(1, 1);
        states.add(loadBack(storage, account));
        instanceB.save(1, 0);
        states.add(loadBack(storage, account));
        return states;
    }

    /**
     * One scan of the account as the routes run it: loaded, each registration tracked (the new and
     * still findings published), the walk finished, the owners due a notice noticed; then saved.
     */
    private static final class Scan {
        final StateStore store;
        final AccountScan scan;
        final AccountState state;
        final List<PublishedFindings.Finding> published = new ArrayList<>();

        Scan(StateStore store, String account, Instant startedAt) {
            this.store = store;
            this.scan = new AccountScan(new ScanRun(startedAt, "P30D", startedAt.minus(Duration.ofDays(30))), account);
            this.state = store.load(scan);
            state.listChangesIn(new AccountState.Sections() {
                @Override
                public void recovered(TrackedFinding finding) {
                }

                @Override
                public void gone(TrackedFinding finding) {
                }

                @Override
                public void reEnrolled(ReEnrolment registration) {
                }
            });
        }

        void list(Verdict... registrations) {
            for (Verdict verdict : registrations) {
                if (verdict.isExcluded()) {
                    state.excluded(verdict);
                    continue;
                }
                Verdict tracked = state.track(verdict);
                if (tracked.reason().isFinding()) {
                    Registration registration = tracked.registration();
                    published.add(new PublishedFindings.Finding(registration.id(), tracked.reason(), tracked.change().label(),
                            registration.deviceName(), registration.userEmail(), registration.lastSeenAt()));
                }
            }
            state.finish();
            state.getNoticesDue().forEach(state::ownerNoticed);
        }

        /** Saves the scan after its report went to {@code delivered} of {@code channels} alert channels. */
        void save(int channels, int delivered) {
            for (int i = 0; i < delivered; i++) {
                state.channelDelivered();
            }
            PublishedFindings report = reader -> {
                for (PublishedFindings.Finding finding : published) {
                    reader.accept(finding);
                }
            };
            scan.put(PublishedFindings.class, report);
            store.save(scan, Collections.nCopies(channels, "channel"));
        }
    }

    private static Verdict listed(String id, Reason reason) {
        return named(id, "Device " + id, reason);
    }

    private static Verdict named(String id, String deviceName, Reason reason) {
        Registration registration = new Registration(id, id == null ? null : "dev-" + id, deviceName, null, id == null ? null : "usr-" + id,
                id == null ? null : id + "@example.com", null, null, LONG_AGO, reason == Reason.REVOKED ? LONG_AGO : null, null, null, null,
                null, null);
        return new Verdict(registration, reason, null, null);
    }

    private static Loaded loadBack(StateStorage storage, String account) throws Exception {
        StateStorage.Stored stored = storage.load(account);
        // as the index loads them: the first row of an id stored twice
        Map<String, StoredFinding> rows = new TreeMap<>();
        storage.read(account, row -> rows.putIfAbsent(row.registrationId(), row));
        assertThat(stored.findings().size()).as("the index holds every row").isEqualTo(rows.size());
        Map<String, StoredRemoval> removals = new TreeMap<>();
        stored.removals().forEach(removal -> assertThat(removals.put(removal.registrationId(), removal)).as("stored once").isNull());
        return new Loaded(stored.previousScan(), stored.registrations(), rows, removals);
    }

    /** A removal as the scans above leave it, of a registration listed with {@link #listed}: its device and user, when revoked and deleted. */
    private static StoredRemoval removal(String id, Instant revoked, Instant deleted) {
        return new StoredRemoval(id, "dev-" + id, "usr-" + id, revoked == null ? NEVER : revoked.toEpochMilli(),
                deleted == null ? NEVER : deleted.toEpochMilli());
    }

    private static Map<String, StoredRemoval> removals(StoredRemoval... rows) {
        return new Loaded(null, 0, Map.of(), Map.of()).remembering(rows).removals();
    }

    /** A row as the scans above leave it: device name, user and last-seen time as first listed. */
    private static ExpectedRow row(String id, Reason reason, Instant since, Instant alerted, Instant noticed) {
        return new ExpectedRow(new StoredFinding(id, reason, since.toEpochMilli(), alerted == null ? NEVER : alerted.toEpochMilli(),
                noticed == null ? NEVER : noticed.toEpochMilli(), Action.NONE, NEVER, "Device " + id, id + "@example.com", LONG_AGO));
    }

    private record ExpectedRow(StoredFinding row) {
        ExpectedRow acted(Action action, Instant at) {
            return new ExpectedRow(new StoredFinding(row.registrationId(), row.reason(), row.since(), row.alertedAt(), row.ownerNoticedAt(),
                    action, at.toEpochMilli(), row.deviceName(), row.userEmail(), row.lastSeenAt()));
        }
    }

    private static Loaded loaded(Instant scan, long registrations, ExpectedRow... rows) {
        Map<String, StoredFinding> findings = new TreeMap<>();
        for (ExpectedRow expected : rows) {
            findings.put(expected.row().registrationId(), expected.row());
        }
        return new Loaded(scan, registrations, findings, Map.of());
    }
}
