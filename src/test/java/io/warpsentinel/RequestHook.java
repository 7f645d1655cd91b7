package io.warpsentinel;

import com.github.tomakehurst.wiremock.extension.Parameters;
import com.github.tomakehurst.wiremock.extension.ServeEventListener;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * A WireMock extension that lets a test act at the moment a request arrives, before it is
 * answered: what a client has on disk then, or a disk that fails right then. At most one
 * action, set by the test that needs it and cleared by {@link #clear}.
 */
final class RequestHook implements ServeEventListener {

    private volatile Predicate<Request> when;
    private volatile Consumer<Request> action;

    /** Runs {@code action} on the first request that matches {@code when}, before WireMock answers it. */
    void once(Predicate<Request> when, Consumer<Request> action) {
        this.when = when;
        this.action = action;
    }

    void clear() {
        when = null;
        action = null;
    }

    @Override
    public void afterMatch(ServeEvent serveEvent, Parameters parameters) {
        Predicate<Request> matching = when;
        Consumer<Request> acting = action;
        if (matching != null && acting != null && matching.test(serveEvent.getRequest())) {
            clear();
            acting.accept(serveEvent.getRequest());
        }
    }

    @Override
    public String getName() {
        return "request-hook";
    }
}
