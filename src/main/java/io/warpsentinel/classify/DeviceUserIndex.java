package io.warpsentinel.classify;

import io.warpsentinel.finding.Registration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * A few items found by a registration's device and user, paired as the superseded rule pairs
 * registrations: the same {@code device.id} and the same {@code user.id}, or both without one.
 * Every registration of a listing is looked up in it (the registrations warp-sentinel removed,
 * against the listing, to tell one enrolled again), so it is a primitive index keyed by a 64-bit
 * hash of the pair ({@link KeyedLongs}, sorted once): a miss costs a binary search and no object,
 * and a hit is checked against the texts, so a key shared by chance matches nothing.
 */
public final class DeviceUserIndex<T> {

    private final List<T> items;
    private final Function<T, String> deviceId;
    private final Function<T, String> userId;
    private final KeyedLongs entries;

    /** @param items few: each is held as it is; one without a device id is never found */
    public DeviceUserIndex(List<T> items, Function<T, String> deviceId, Function<T, String> userId) {
        this.items = List.copyOf(items);
        this.deviceId = deviceId;
        this.userId = userId;
        this.entries = new KeyedLongs(items.size());
        for (int i = 0; i < this.items.size(); i++) {
            T item = this.items.get(i);
            if (deviceId.apply(item) != null) {
                entries.add(Keys.deviceAndUser(deviceId.apply(item), userId.apply(item)), i, 0);
            }
        }
        entries.sort();
    }

    /** The items of this registration's device and user, in no particular order; none when it names no device. */
    public List<T> of(Registration registration) {
        if (registration.deviceId() == null || entries.size() == 0) {
            return List.of();
        }
        long key = Keys.deviceAndUser(registration.deviceId(), registration.userId());
        List<T> found = new ArrayList<>(1);
        for (int position = entries.find(key); position >= 0 && position < entries.size() && entries.key(position) == key; position++) {
            T item = items.get((int) entries.first(position));
            if (registration.deviceId().equals(deviceId.apply(item)) && Objects.equals(registration.userId(), userId.apply(item))) {
                found.add(item);
            }
        }
        return found;
    }
}
