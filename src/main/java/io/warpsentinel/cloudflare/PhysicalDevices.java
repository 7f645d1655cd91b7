package io.warpsentinel.cloudflare;

import io.warpsentinel.classify.Judge;
import io.warpsentinel.finding.AccountScan;
import io.warpsentinel.finding.DeviceDetails;
import io.warpsentinel.operate.ScanMetrics;
import io.warpsentinel.secrets.FailureText;
import java.io.IOException;
import java.io.InputStream;
import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the look-up-devices route calls: plans the look-up of the findings' devices in
 * Cloudflare's inventory ({@link DeviceLookups}), beside the listing when its first page shows
 * that the whole inventory will be paged, else after it; names each request, reads each answer
 * into the account's device directory, and records why the details are unavailable when the
 * look-up is refused or fails (one WARN; the scan goes on, its report complete).
 */
public final class PhysicalDevices {

    private static final Logger LOG = LoggerFactory.getLogger("look-up-devices");

    private final boolean enabled;
    private final int listingPerPage;
    private final CloudflareUrls urls;
    private final DevicePages pages;
    private final RegistrationPages registrationPages;
    private final FailureText failureText;
    private final ScanMetrics metrics;

    /** @param listingPerPage the registrations asked for per page of the listing (cloudflare.per-page) */
    public PhysicalDevices(boolean enabled, int listingPerPage, CloudflareUrls urls, RegistrationPages registrationPages,
                           FailureText failureText, ScanMetrics metrics) {
        this.enabled = enabled;
        this.listingPerPage = listingPerPage;
        this.urls = urls;
        this.pages = new DevicePages(failureText);
        this.registrationPages = registrationPages;
        this.failureText = failureText;
        this.metrics = metrics;
    }

    /**
     * Before each turn of the listing (no branch runs): before the first, whether its first page
     * shows that the whole inventory will be paged, so that it is paged beside the listing from
     * this turn on (decided then or never; a listing of one page is left to {@link #plan}, which
     * knows all of it); and, paged beside it, how many pages of devices the listing's pages so far
     * allow.
     */
    public void beforeTurn(@ExchangeProperty(AccountScan.PROPERTY) AccountScan scan, @Body RegistrationsPage page) {
        int listingPages = scan.get(PageWalk.class).getPages();
        DeviceLookups lookups = scan.find(DeviceLookups.class);
        if (lookups == null && enabled && listingPages == 1 && page.nextCursor() != null) {
            Judge judge = scan.get(Judge.class);
            if (DeviceLookups.worthPagingBeside(judge.shareWantingDevice(page.asListed()), listingPerPage)) {
                lookups = scan.put(DeviceLookups.class, DeviceLookups.besideListing(judge.devices()));
            }
        }
        if (lookups != null) {
            lookups.allowBeside(listingPages);
        }
    }

    /** During a turn of the listing: whether a page of the inventory is due beside the page of registrations being fetched. */
    public boolean pageDueBeside(@ExchangeProperty(AccountScan.PROPERTY) AccountScan scan) {
        DeviceLookups lookups = scan.find(DeviceLookups.class);
        return lookups != null && lookups.hasNextBeside();
    }

    /**
     * The listing is complete: by id, the whole inventory, or nothing (off, or no finding names a
     * device); paged beside the listing, the rest of the inventory.
     */
    public void plan(@ExchangeProperty(AccountScan.PROPERTY) AccountScan scan) {
        Judge judge = scan.get(Judge.class);
        DeviceLookups beside = scan.find(DeviceLookups.class);
        int listingRequests = scan.get(PageWalk.class).getPages();
        scan.put(DeviceLookups.class, !enabled ? DeviceLookups.off(judge.devices())
                : beside != null ? beside.listingComplete(judge.devicesToLookUp(), listingRequests)
                : DeviceLookups.plan(judge.devicesToLookUp(), listingRequests, judge.devices()));
    }

    public boolean hasNext(@ExchangeProperty(AccountScan.PROPERTY) AccountScan scan) {
        return scan.get(DeviceLookups.class).hasNext();
    }

    /** The next request; the same again until its answer is read, so a retry asks for the same devices. */
    public CloudflareRequest nextRequest(@ExchangeProperty(AccountScan.PROPERTY) AccountScan scan) {
        DeviceLookups lookups = scan.get(DeviceLookups.class);
        return CloudflareRequest.read(urls.physicalDevices(scan.getAccountId(), lookups.nextQuery()), lookups.what());
    }

    /** One answer: its devices into the directory (a 429 fails with its Retry-After, for the retry policy to wait out). */
    public void read(@ExchangeProperty(AccountScan.PROPERTY) AccountScan scan, @ExchangeProperty(CloudflareCalls.REQUEST) CloudflareRequest request,
                     @Header(Exchange.HTTP_RESPONSE_CODE) int httpStatus, @Header("Retry-After") String retryAfter, InputStream body) {
        if (httpStatus == 429) {
            throw registrationPages.rateLimited(scan.getAccountId(), request.what(), retryAfter, body);
        }
        metrics.apiAnswer(scan.getAccountId(), httpStatus);
        PageBody buffered;
        try {
            buffered = PageBody.read(body == null ? InputStream.nullInputStream() : body);
        } catch (IOException e) {
            throw new TransientApiException(httpStatus, "Reading the physical devices of account " + scan.getAccountId() + " failed: "
                    + failureText.describe(e));
        }
        scan.get(DeviceLookups.class).answered(pages.read(scan.getAccountId(), httpStatus, buffered));
    }

    /** A validation's one request: one device of the inventory, to prove the token can read it. */
    public CloudflareRequest probe(@ExchangeProperty(AccountScan.PROPERTY) AccountScan scan) {
        return CloudflareRequest.read(urls.physicalDevices(scan.getAccountId(), "active_registrations=include&per_page=1"), "one physical device");
    }

    /** The answer to {@link #probe}: fails, with Cloudflare's error, unless it is a page of devices. */
    public void readProbe(@ExchangeProperty(AccountScan.PROPERTY) AccountScan scan, @Header(Exchange.HTTP_RESPONSE_CODE) int httpStatus,
                          InputStream body) throws IOException {
        pages.read(scan.getAccountId(), httpStatus, PageBody.read(body == null ? InputStream.nullInputStream() : body));
    }

    /** The look-up was refused or failed after its retries: the details are unavailable, the scan goes on. */
    public void unavailable(@ExchangeProperty(AccountScan.PROPERTY) AccountScan scan,
                            @ExchangeProperty(Exchange.EXCEPTION_CAUGHT) Throwable cause) {
        scan.get(DeviceLookups.class).failed(failureText.describe(cause));
    }

    /**
     * A page of devices beside the listing failed: a refusal makes the details unavailable, any
     * other failure leaves the page and the rest of the inventory until after the listing.
     */
    public void besideFailed(@ExchangeProperty(AccountScan.PROPERTY) AccountScan scan,
                             @ExchangeProperty(Exchange.EXCEPTION_CAUGHT) Throwable cause) {
        DeviceLookups lookups = scan.get(DeviceLookups.class);
        if (!CloudflareRetries.mayPassLater(cause)) {
            lookups.failed(failureText.describe(cause));
            return;
        }
        LOG.info("Account {}: the physical devices are paged after the listing, not beside it: {}", scan.getAccountId(),
                failureText.describe(cause));
        lookups.deferToAfterListing();
    }

    /** The look-up is over: what the reports say of it, and one WARN when the details are unavailable. */
    public void finished(@ExchangeProperty(AccountScan.PROPERTY) AccountScan scan) {
        DeviceDetails outcome = scan.get(DeviceLookups.class).outcome();
        if (!outcome.complete() && !DeviceDetails.OFF.equals(outcome.reason())) {
            LOG.warn("Account {}: device details unavailable, the report is complete without them: {}", scan.getAccountId(), outcome.reason());
        }
        scan.put(DeviceDetails.class, outcome);
    }
}
