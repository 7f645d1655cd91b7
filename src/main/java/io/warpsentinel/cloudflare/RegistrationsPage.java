package io.warpsentinel.cloudflare;

import io.warpsentinel.finding.Registration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Function;

/**
 * One checked page of "List registrations": how many registrations it holds, the cursor of the
 * next page ({@code null} when {@code result_info.cursor} was empty, null or absent), and its
 * registrations, streamed from the buffered answer as the split route iterates it. Iterating
 * the page directly matters: reaching a list through Simple's OGNL made Camel hash the whole
 * page on each call.
 */
public final class RegistrationsPage implements Iterable<Registration>, AutoCloseable {

    private final int size;
    private final String nextCursor;
    private final PageBody body;
    // true: each registration listed before left out (and each one given marked as listed); false: as the page has them
    private final Function<Boolean, Iterator<Registration>> records;

    RegistrationsPage(int size, String nextCursor, PageBody body, Function<Boolean, Iterator<Registration>> records) {
        this.size = size;
        this.nextCursor = nextCursor;
        this.body = body;
        this.records = records;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    /** Registrations in the answer, a registration listed again included. */
    public int size() {
        return size;
    }

    public String nextCursor() {
        return nextCursor;
    }

    /** The registrations not listed before, each marked as listed now: to be iterated once, by the split. */
    @Override
    public Iterator<Registration> iterator() {
        return records.apply(true);
    }

    /** The registrations as the page has them, none marked as listed: a look at the page before it is split. */
    public Iterable<Registration> asListed() {
        return () -> records.apply(false);
    }

    /** Every registration, in a list: for tests and small pages only. */
    public List<Registration> registrations() {
        List<Registration> all = new ArrayList<>(size);
        forEach(all::add);
        return all;
    }

    /** Frees the buffered answer. */
    @Override
    public void close() {
        body.close();
    }
}
