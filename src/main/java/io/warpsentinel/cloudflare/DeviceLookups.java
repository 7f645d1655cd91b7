package io.warpsentinel.cloudflare;

import io.warpsentinel.classify.DeviceDirectory;
import io.warpsentinel.classify.DeviceIds;
import io.warpsentinel.finding.DeviceDetails;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * One account's look-ups in Cloudflare's inventory of physical devices: the findings' devices by
 * id after the listing, at most {@value CloudflareUrls#MOST_IDS_PER_CALL} a call, or, when that
 * would take more requests, the whole inventory page by page. The inventory is paged beside the
 * listing, a page of devices with each page of registrations, when the listing's first page shows
 * that it will be the cheaper ({@link #besideListing}): a slow API then waits for the two at once.
 * Never more requests than the listing itself took (beside it, never more than it took so far):
 * a look-up that would need more stops, and the details are unavailable. A request is asked again
 * as it was until its answer is read (retries go through the same request), and its devices go
 * into the account's {@link DeviceDirectory}.
 */
public final class DeviceLookups {

    /** Devices asked for per page when the whole inventory is listed, as many as the listing's pages hold. */
    static final int PER_PAGE = 1000;

    private final DeviceDirectory directory;
    private int mostRequests;
    private final Iterator<String> ids;
    private final boolean wholeInventory;
    // paged beside the listing, which is not complete yet
    private boolean duringListing;
    private List<String> chunk;
    private String cursor;
    // the inventory's cursors so far: one handed out again would page it forever (as some Cloudflare endpoints have)
    private final Set<String> cursorsSeen = new HashSet<>();
    private boolean finished;
    private int requests;
    private String unavailable;

    private DeviceLookups(DeviceDirectory directory, int mostRequests, Iterator<String> ids, boolean wholeInventory, boolean finished) {
        this.directory = directory;
        this.mostRequests = mostRequests;
        this.ids = ids;
        this.wholeInventory = wholeInventory;
        this.finished = finished;
    }

    /**
     * The cheaper way to learn {@code devices}: by id when that takes no more requests than the
     * listing's {@code listingRequests}, else the whole inventory, at most as many pages.
     */
    static DeviceLookups plan(DeviceIds devices, int listingRequests, DeviceDirectory directory) {
        long byId = (devices.count() + CloudflareUrls.MOST_IDS_PER_CALL - 1) / CloudflareUrls.MOST_IDS_PER_CALL;
        boolean wholeInventory = byId > listingRequests;
        directory.expect(devices);
        if (wholeInventory) {
            directory.keepOnly(devices);
        }
        return new DeviceLookups(directory, Math.max(1, listingRequests), wholeInventory ? null : devices.each().get(), wholeInventory,
                devices.count() == 0);
    }

    /**
     * Whether the whole inventory should be paged beside the listing, judged from the share of the
     * first page's registrations whose device is wanted: when looking those devices up by id
     * would take at least twice the requests of a page per {@code perPage} registrations (the
     * margin for a first page unlike the rest, as a guess that is wrong costs requests).
     */
    static boolean worthPagingBeside(double shareWantingDevice, int perPage) {
        return shareWantingDevice * perPage >= 2.0 * CloudflareUrls.MOST_IDS_PER_CALL;
    }

    /** The whole inventory, paged beside the listing: every device kept until the findings are known. */
    static DeviceLookups besideListing(DeviceDirectory directory) {
        directory.keepAllUntilKnown();
        DeviceLookups lookups = new DeviceLookups(directory, 0, null, true, false);
        lookups.duringListing = true;
        return lookups;
    }

    /** Paged beside the listing, which has read {@code listingPages} pages so far: as many requests allowed. */
    void allowBeside(int listingPages) {
        mostRequests = listingPages;
    }

    /**
     * A page beside the listing failed in a way that may pass (rate limited, a 5xx, a timeout): it
     * is not waited for or retried there, where it would hold the listing up (and spend its
     * sentinel.max-wait), but asked again after the listing, with the retries, and the rest of the
     * inventory paged from there.
     */
    void deferToAfterListing() {
        duringListing = false;
    }

    /** Paged beside the listing: whether a page of devices is due (past the listing's pace, it is not due yet, not unavailable). */
    boolean hasNextBeside() {
        return duringListing && !finished && unavailable == null && requests < mostRequests;
    }

    /**
     * The listing is complete ({@link #plan}'s moment): paged beside it, the inventory goes on to
     * its end, at most as many requests in all as the listing took, and only the findings' devices
     * are kept. Paging it had been judged the cheaper, and what it has read is not read again.
     */
    DeviceLookups listingComplete(DeviceIds devices, int listingRequests) {
        if (requests == 0 && unavailable == null) {
            // nothing read beside it (its first page was left until now): planned as if it had not been begun
            directory.nothingWritten();
            return plan(devices, listingRequests, directory);
        }
        directory.expect(devices);
        directory.keepOnly(devices);
        duringListing = false;
        mostRequests = Math.max(1, listingRequests);
        if (devices.count() == 0) {
            // no finding names a device: nothing was missed, whatever befell the inventory beside the listing
            finished = true;
            unavailable = null;
        }
        return this;
    }

    /** No look-ups at all: {@code sentinel.devices.enrich} is off. */
    static DeviceLookups off(DeviceDirectory directory) {
        DeviceLookups lookups = new DeviceLookups(directory, 0, null, false, true);
        lookups.unavailable = DeviceDetails.OFF;
        return lookups;
    }

    boolean hasNext() {
        if (finished || unavailable != null) {
            return false;
        }
        if (!wholeInventory && chunk == null) {
            chunk = new ArrayList<>(CloudflareUrls.MOST_IDS_PER_CALL);
            while (ids.hasNext() && chunk.size() < CloudflareUrls.MOST_IDS_PER_CALL) {
                chunk.add(ids.next());
            }
            if (chunk.isEmpty()) {
                finished = true;
                return false;
            }
        }
        if (requests >= mostRequests) {
            unavailable = "the devices' look-up would take more than the " + mostRequests + " request(s) the registration listing took";
            return false;
        }
        return true;
    }

    /** The query of the next request: the ids of the next chunk, or the inventory's next page. */
    String nextQuery() {
        // include: a device whose registrations are all revoked is left out by default, and revoked ones are findings
        return wholeInventory
                ? "active_registrations=include&per_page=" + PER_PAGE + (cursor == null ? "" : "&cursor=" + CloudflareUrls.encode(cursor))
                : "active_registrations=include&per_page=" + CloudflareUrls.MOST_IDS_PER_CALL + "&" + CloudflareUrls.ids(chunk);
    }

    String what() {
        return wholeInventory ? "page " + (requests + 1) + " of the physical devices" : "the physical devices of " + chunk.size() + " findings";
    }

    /** The answer to the last request: its devices kept, and the look-up moved on. */
    void answered(DevicePages.Page page) {
        page.devices().forEach(directory::put);
        requests++;
        if (wholeInventory) {
            cursor = page.nextCursor();
            finished = cursor == null;
            if (cursor != null && !cursorsSeen.add(cursor)) {
                unavailable = "the physical devices' page " + requests + " handed out the cursor of an earlier page again";
            }
        } else {
            chunk = null;
        }
    }

    /** The look-up failed (a refusal, or a fault after its retries): the report says why, and the scan goes on. */
    void failed(String reason) {
        unavailable = reason;
    }

    /** What the reports say of the devices' details. */
    DeviceDetails outcome() {
        return unavailable == null ? DeviceDetails.complete(directory.size(), requests) : DeviceDetails.unavailable(unavailable, requests);
    }

    DeviceDirectory directory() {
        return directory;
    }
}
