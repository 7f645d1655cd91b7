package io.warpsentinel.classify;

import java.util.Iterator;
import java.util.function.Supplier;

/**
 * The distinct ids of the devices an account's findings run on, to be looked up in Cloudflare's
 * inventory: how many there are, and each once, read from disk again each time they are asked
 * for (a million ids are not held in memory).
 */
public record DeviceIds(long count, Supplier<Iterator<String>> each) {
}
