package io.warpsentinel.scan;

import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.camel.AsyncCallback;
import org.apache.camel.AsyncProcessor;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.NamedNode;
import org.apache.camel.Processor;
import org.apache.camel.spi.InterceptStrategy;
import org.apache.camel.support.AsyncProcessorConverterHelper;
import org.apache.camel.support.processor.DelegateAsyncProcessor;
import org.apache.camel.support.processor.DelegateSyncProcessor;

/**
 * Makes an {@link Error} thrown by a route's step (out of memory while reading a huge page, a
 * stack overflow) fail the exchange like any exception. Camel's engine catches only exceptions
 * around a processor: an Error escaped it, the exchange never completed, no catch or finally of
 * the routes ran, and a run-once process waited forever. Now the account's scan fails, its
 * memory is released, and the run goes on to its end.
 */
public final class ErrorsAsFailures implements InterceptStrategy {

    @Override
    public Processor wrapProcessorInInterceptors(CamelContext context, NamedNode definition, Processor target, Processor nextTarget) {
        // Camel's bridge for a plain Processor (a `process` step) reports the step done in a
        // finally, before an Error leaves it: the step after it would run as if all went well,
        // and the step reported done twice. The plain processor is called here instead.
        if (target instanceof DelegateSyncProcessor bridge) {
            return new GuardedSync(bridge.getProcessor());
        }
        return new Guarded(AsyncProcessorConverterHelper.convert(target));
    }

    private static final class GuardedSync extends DelegateSyncProcessor {

        GuardedSync(Processor processor) {
            super(processor);
        }

        @Override
        public boolean process(Exchange exchange, AsyncCallback callback) {
            try {
                processor.process(exchange);
            } catch (Exception e) {
                exchange.setException(e);
            } catch (Error error) {
                exchange.setException(new ErrorFailure(error));
            }
            callback.done(true);
            return true;
        }
    }

    private static final class Guarded extends DelegateAsyncProcessor {

        Guarded(AsyncProcessor processor) {
            super(processor);
        }

        @Override
        public boolean process(Exchange exchange, AsyncCallback callback) {
            // the step is reported done once, whether it got that far before the Error or not
            AtomicBoolean reported = new AtomicBoolean();
            try {
                return processor.process(exchange, doneSync -> {
                    if (reported.compareAndSet(false, true)) {
                        callback.done(doneSync);
                    }
                });
            } catch (Error error) {
                exchange.setException(new ErrorFailure(error));
                if (reported.compareAndSet(false, true)) {
                    callback.done(true);
                }
                return true;
            }
        }
    }

    /**
     * The Error as an exception that does not hold it, so whatever filled the heap can be freed;
     * its kind stays in the message (OutOfMemoryError: Java heap space).
     */
    static final class ErrorFailure extends RuntimeException {
        ErrorFailure(Error error) {
            super(error.getClass().getSimpleName() + (error.getMessage() == null ? "" : ": " + error.getMessage()));
            setStackTrace(error.getStackTrace());
        }
    }
}
