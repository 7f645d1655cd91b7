package io.warpsentinel.cloudflare;

import java.util.Iterator;
import java.util.List;

/**
 * One page of "List registrations": its registrations and the cursor of the next page
 * ({@code null} when {@code result_info.cursor} was empty, null or absent). Iterable, so the
 * split route iterates it directly: reaching the list through Simple's OGNL made Camel hash the
 * whole page, every registration of it, on each call.
 */
public record RegistrationsPage(List<Registration> registrations, String nextCursor) implements Iterable<Registration> {

    public boolean isEmpty() {
        return registrations.isEmpty();
    }

    public int size() {
        return registrations.size();
    }

    @Override
    public Iterator<Registration> iterator() {
        return registrations.iterator();
    }
}
