package io.warpsentinel.cloudflare;

import java.util.List;

/**
 * One page of "List registrations": its registrations and the cursor of the next page
 * ({@code null} when {@code result_info.cursor} was empty, null or absent).
 */
public record RegistrationsPage(List<Registration> registrations, String nextCursor) {

    public boolean isEmpty() {
        return registrations.isEmpty();
    }

    public int size() {
        return registrations.size();
    }
}
