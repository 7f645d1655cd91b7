package io.warpsentinel.cloudflare;

import io.warpsentinel.finding.Registration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Supplier;

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
    private final Supplier<Iterator<Registration>> records;

    RegistrationsPage(int size, String nextCursor, PageBody body, Supplier<Iterator<Registration>> records) {
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

    @Override
    public Iterator<Registration> iterator() {
        return records.get();
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
