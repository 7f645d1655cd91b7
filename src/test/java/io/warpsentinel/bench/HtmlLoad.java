package io.warpsentinel.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Loads a report page in headless Chromium and prints its size, how long it took to load and to
 * paint first, and how long a sort (by device) and a filter over all its rows take:
 * bench/html-load runs it on reports of 1,000, 20,000 and 100,000 findings.
 */
public final class HtmlLoad {

    public static void main(String[] args) throws Exception {
        Path page = Path.of(args[0]).toAbsolutePath();
        int times = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        System.out.printf("page %,d KB%n", Files.size(page) / 1024);
        try (var browser = io.warpsentinel.BrowserAccess.start()) {
            for (int i = 0; i < times; i++) {
                browser.open(page);
                // the first paint is recorded once it is on screen: asked for until it is (3 s at most)
                JsonNode load = browser.evaluate("new Promise(r => { const until = performance.now() + 3000; (function ask() {"
                        + " const paint = performance.getEntriesByName('first-contentful-paint')[0];"
                        + " if (!paint && performance.now() < until) { requestAnimationFrame(ask); return; }"
                        + " r({load: Math.round(performance.getEntriesByType('navigation')[0].loadEventEnd),"
                        + " paint: paint ? Math.round(paint.startTime) : -1, count: document.getElementById('findings-count').textContent}); })(); })");
                JsonNode sort = browser.evaluate("(() => { const heads = Array.from(document.querySelectorAll('#findings th'));"
                        + " const device = heads.find(th => th.textContent === 'device'); const t = performance.now(); device.click();"
                        + " return Math.round(performance.now() - t); })()");
                // until the counter says what matched, less the 100 ms the filter waits for the typing to pause
                JsonNode filter = browser.evaluate("new Promise(r => { const f = document.querySelector('input[data-filter=findings]');"
                        + " const t = performance.now(); new MutationObserver((changes, observer) => { observer.disconnect();"
                        + " r(Math.round(performance.now() - t - 100)); }).observe(document.getElementById('findings-count'),"
                        + " {childList: true, characterData: true, subtree: true}); f.value = 'user1'; f.dispatchEvent(new Event('input')); })");
                System.out.printf("load %d ms, first paint %d ms (%s); sort %d ms; filter %d ms%n", load.get("load").asInt(),
                        load.get("paint").asInt(), load.get("count").asText(), sort.asInt(), filter.asInt());
            }
        }
    }
}
