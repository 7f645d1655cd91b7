package io.warpsentinel.cloudflare;

/**
 * One request to Cloudflare's API, as the cloudflare-call route sends it: every call of the
 * product (a page, a registration re-checked, a revoke or delete, a validation probe) is one of
 * these, built by {@link CloudflareUrls}.
 *
 * @param method GET, POST or DELETE
 * @param url    the whole URL, query included
 * @param write  sent with the write token (Zero Trust Write); every other call has the read token
 * @param what   how log lines name it: "page 3", "the revoke of 48 registrations"
 */
public record CloudflareRequest(String method, String url, boolean write, String what) {

    public static CloudflareRequest read(String url, String what) {
        return new CloudflareRequest("GET", url, false, what);
    }

    public static CloudflareRequest write(String method, String url, String what) {
        return new CloudflareRequest(method, url, true, what);
    }

    @Override
    public String toString() {
        return what;
    }
}
