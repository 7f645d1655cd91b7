package io.warpsentinel.scan;

import org.apache.camel.AsyncCallback;
import org.apache.camel.AsyncProcessor;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.NamedNode;
import org.apache.camel.Processor;
import org.apache.camel.spi.InterceptStrategy;
import org.apache.camel.support.AsyncProcessorConverterHelper;
import org.apache.camel.support.processor.DelegateAsyncProcessor;

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
        return new Guarded(AsyncProcessorConverterHelper.convert(target));
    }

    private static final class Guarded extends DelegateAsyncProcessor {

        Guarded(AsyncProcessor processor) {
            super(processor);
        }

        @Override
        public boolean process(Exchange exchange, AsyncCallback callback) {
            try {
                return processor.process(exchange, callback);
            } catch (Error error) {
                exchange.setException(error);
                callback.done(true);
                return true;
            }
        }
    }
}
