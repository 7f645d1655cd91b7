package io.warpsentinel.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;

/**
 * Loads a report page in headless Chromium and prints how long it took to be ready and painted,
 * and how long a sort and a filter take: bench/html-load runs it on a report of 20,000 rows.
 */
public final class HtmlLoad {

    public static void main(String[] args) throws Exception {
        Path page = Path.of(args[0]).toAbsolutePath();
        int times = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        try (var browser = io.warpsentinel.BrowserAccess.start()) {
            for (int i = 0; i < times; i++) {
                browser.open(page);
                JsonNode load = browser.evaluate("new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => r({"
                        + "load: Math.round(performance.getEntriesByType('navigation')[0].loadEventEnd),"
                        + "painted: Math.round(performance.now()), rows: document.querySelectorAll('#findings tbody tr').length}))))");
                JsonNode sort = browser.evaluate("(() => { const t = performance.now(); "
                        + "document.querySelectorAll('#findings th')[4].click(); return Math.round(performance.now() - t); })()");
                JsonNode filter = browser.evaluate("new Promise(r => { const f = document.querySelector('input[data-filter=findings]');"
                        + " f.value = 'user1'; const t = performance.now(); f.dispatchEvent(new Event('input'));"
                        + " setTimeout(() => r(Math.round(performance.now() - t - 100)), 100); })");
                System.out.printf("load %d ms, painted %d ms, %d rows; sort %d ms; filter %d ms%n", load.get("load").asInt(),
                        load.get("painted").asInt(), load.get("rows").asInt(), sort.asInt(), filter.asInt());
            }
        }
    }
}
