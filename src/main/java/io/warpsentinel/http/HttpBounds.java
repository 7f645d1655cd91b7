package io.warpsentinel.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.component.http.HttpClientConfigurer;
import org.apache.camel.component.http.HttpComponent;
import org.apache.hc.client5.http.classic.ExecChain;
import org.apache.hc.client5.http.classic.ExecChainHandler;
import org.apache.hc.client5.http.classic.ExecRuntime;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.io.entity.HttpEntityWrapper;

/**
 * Bounds every HTTP exchange of the process (Cloudflare pages, webhooks, the metrics' push) in
 * time and size. The socket timeouts alone do not: a server that sends one byte every half
 * second never lets a read time out, and a page of 60 MB is read whole. So each request gets a
 * deadline (its own, in the {@value #DEADLINE_HEADER} request header, else {@code timeout} from
 * now) at which its connection is closed whatever it is doing, and its answer's body is cut off
 * past {@code maxBytes}. HttpClient's own automatic retries are off: a 429 or 503 would otherwise
 * be retried underneath the routes' retry policy, waiting as long as Retry-After says.
 */
public final class HttpBounds implements HttpClientConfigurer, ExecChainHandler {

    /** Epoch milliseconds by which the answer must be complete; removed before the request is sent. */
    public static final String DEADLINE_HEADER = "X-Warp-Sentinel-Deadline";

    private static final ScheduledExecutorService CUTTER = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "http-deadline");
        thread.setDaemon(true);
        return thread;
    });

    private final Duration timeout;
    private final long maxBytes;
    private final Clock clock;

    /**
     * @param timeout  how long one exchange may take in all, from the request to the last byte of the answer
     * @param maxBytes the largest answer body read
     */
    public HttpBounds(Duration timeout, long maxBytes, Clock clock) {
        this.timeout = timeout;
        this.maxBytes = maxBytes;
        this.clock = clock;
    }

    /**
     * Every HTTP exchange, to Cloudflare and to webhooks, whichever scheme: the same timeouts
     * (camel.component.http.* alone would leave https:// at Camel's three-minute defaults), no
     * automatic retries underneath the routes' own, and a deadline and a size limit per answer.
     */
    public static void install(CamelContext camel, HttpSettings http, Clock clock) {
        HttpBounds bounds = new HttpBounds(http.timeout(), http.maxResponseBytes(), clock);
        for (String scheme : List.of("http", "https")) {
            HttpComponent component = camel.getComponent(scheme, HttpComponent.class);
            component.setHttpClientConfigurer(bounds);
            component.setAutomaticRetriesDisabled(true);
            component.setConnectTimeout(http.connectTimeout());
            component.setSoTimeout(http.soTimeout());
            component.setResponseTimeout(http.responseTimeout());
        }
    }

    @Override
    public void configureHttpClient(HttpClientBuilder builder) {
        builder.disableAutomaticRetries();
        builder.addExecInterceptorFirst("warp-sentinel-bounds", this);
    }

    @Override
    public ClassicHttpResponse execute(ClassicHttpRequest request, ExecChain.Scope scope, ExecChain chain)
            throws IOException, HttpException {
        long deadline = deadline(request);
        long left = deadline - clock.millis();
        if (left <= 0) {
            throw new ResponseDeadlineException("no time was left for the request");
        }
        ExecRuntime runtime = scope.execRuntime;
        ScheduledFuture<?> cut = CUTTER.schedule(runtime::discardEndpoint, left, TimeUnit.MILLISECONDS);
        ClassicHttpResponse response;
        try {
            response = chain.proceed(request, scope);
        } catch (IOException e) {
            cut.cancel(false);
            throw clock.millis() >= deadline ? deadlineExceeded(left, e) : e;
        } catch (HttpException | RuntimeException e) {
            cut.cancel(false);
            throw e;
        }
        HttpEntity entity = response.getEntity();
        if (entity == null) {
            cut.cancel(false);
        } else {
            response.setEntity(new BoundedEntity(entity, cut, deadline, left, runtime));
        }
        return response;
    }

    private long deadline(ClassicHttpRequest request) {
        long deadline = clock.millis() + timeout.toMillis();
        Header own = request.getFirstHeader(DEADLINE_HEADER);
        request.removeHeaders(DEADLINE_HEADER);
        if (own != null) {
            try {
                deadline = Math.min(deadline, Long.parseLong(own.getValue()));
            } catch (NumberFormatException ignored) {
                // the process's own header; the general timeout still holds
            }
        }
        return deadline;
    }

    private static ResponseDeadlineException deadlineExceeded(long allowedMillis, IOException cause) {
        ResponseDeadlineException exceeded = new ResponseDeadlineException("the answer was not complete within "
                + String.format("%.1f", allowedMillis / 1000.0) + " s (sentinel.http.timeout, or what was left of the scan's, or sentinel.metrics.push-timeout for a push)");
        exceeded.initCause(cause);
        return exceeded;
    }

    /** The answer's body, counted and timed as it is read; closing it ends the exchange's deadline. */
    private final class BoundedEntity extends HttpEntityWrapper {
        private final ScheduledFuture<?> cut;
        private final long deadline;
        private final long allowed;
        private final ExecRuntime runtime;
        private InputStream content;

        BoundedEntity(HttpEntity entity, ScheduledFuture<?> cut, long deadline, long allowed, ExecRuntime runtime) {
            super(entity);
            this.cut = cut;
            this.deadline = deadline;
            this.allowed = allowed;
            this.runtime = runtime;
        }

        @Override
        public synchronized InputStream getContent() throws IOException {
            if (content == null) {
                content = new BoundedStream(super.getContent());
            }
            return content;
        }

        /** Through the bounded stream too: the wrapped entity's own writeTo would read past both bounds. */
        @Override
        public void writeTo(OutputStream out) throws IOException {
            try (InputStream in = getContent()) {
                in.transferTo(out);
            }
        }

        private final class BoundedStream extends InputStream {
            private final InputStream in;
            private long read;
            private boolean ended;

            BoundedStream(InputStream in) {
                this.in = in;
            }

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                if (clock.millis() >= deadline) {
                    runtime.discardEndpoint();
                    throw deadlineExceeded(allowed, null);
                }
                int count;
                try {
                    count = in.read(buffer, offset, length);
                } catch (IOException e) {
                    throw clock.millis() >= deadline ? deadlineExceeded(allowed, e) : e;
                }
                if (count < 0) {
                    ended = true;
                }
                if (count > 0 && (read += count) > maxBytes) {
                    runtime.discardEndpoint();
                    throw new ResponseTooLargeException("the answer is larger than " + String.format("%,d", maxBytes)
                            + " bytes (sentinel.http.max-response-bytes)");
                }
                return count;
            }

            @Override
            public int available() throws IOException {
                return in.available();
            }

            @Override
            public void close() throws IOException {
                try {
                    if (ended) {
                        in.close();
                        return;
                    }
                    // Closing would read the rest of the answer to reuse the connection, and an
                    // endless answer never ends: one not read to its end closes the connection instead.
                    runtime.discardEndpoint();
                    try {
                        in.close();
                    } catch (IOException onAClosedConnection) {
                        // expected: the connection is gone
                    }
                } finally {
                    cut.cancel(false);
                }
            }
        }
    }
}
