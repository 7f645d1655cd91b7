package io.warpsentinel.secrets;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.encoder.EncoderBase;
import ch.qos.logback.core.spi.AppenderAttachable;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import org.slf4j.LoggerFactory;

/**
 * Wraps a log encoder and removes every known secret ({@link Secrets}) from what it writes: the
 * message, the arguments and the stack trace alike. It stands between all loggers and the
 * console, so a DEBUG line of Camel's property resolution or of HttpClient's header log (both
 * print values verbatim) cannot print the token. {@link #installEverywhere} wraps the encoders of
 * a logging configuration an operator brought along.
 */
public final class RedactingEncoder extends EncoderBase<ILoggingEvent> {

    private Encoder<ILoggingEvent> encoder;

    public RedactingEncoder() {
    }

    RedactingEncoder(Encoder<ILoggingEvent> encoder) {
        this.encoder = encoder;
    }

    /** The encoder whose output is redacted (configured as a nested {@code <encoder>}). */
    public void setEncoder(Encoder<ILoggingEvent> encoder) {
        this.encoder = encoder;
    }

    @Override
    public void start() {
        if (encoder == null) {
            addError("RedactingEncoder needs a nested <encoder>");
            return;
        }
        if (!encoder.isStarted()) {
            encoder.start();
        }
        super.start();
    }

    @Override
    public byte[] headerBytes() {
        return encoder.headerBytes();
    }

    @Override
    public byte[] encode(ILoggingEvent event) {
        byte[] encoded = encoder.encode(event);
        if (encoded == null || encoded.length == 0) {
            return encoded;
        }
        // the JSON encoder writes '/' as '\/': a URL is found, and cut, only as written
        String line = new String(encoded, StandardCharsets.UTF_8).replace("\\/", "/");
        String redacted = Secrets.global().redact(line);
        return redacted.equals(line) ? encoded : redacted.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public byte[] footerBytes() {
        return encoder.footerBytes();
    }

    /**
     * Wraps the encoder of every console or file appender that is not redacting yet, behind an
     * asynchronous appender too. (An appender without an encoder, such as syslog, is left as it is.)
     */
    public static void installEverywhere() {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return;
        }
        for (Logger logger : context.getLoggerList()) {
            wrap(logger, context);
        }
    }

    private static void wrap(AppenderAttachable<ILoggingEvent> attachable, LoggerContext context) {
        for (Iterator<Appender<ILoggingEvent>> appenders = attachable.iteratorForAppenders(); appenders.hasNext(); ) {
            Appender<ILoggingEvent> next = appenders.next();
            if (next instanceof AppenderAttachable<?> nested) {
                @SuppressWarnings("unchecked")
                AppenderAttachable<ILoggingEvent> events = (AppenderAttachable<ILoggingEvent>) nested;
                wrap(events, context);
            }
            if (next instanceof OutputStreamAppender<ILoggingEvent> appender
                    && appender.getEncoder() != null && !(appender.getEncoder() instanceof RedactingEncoder)) {
                RedactingEncoder redacting = new RedactingEncoder(appender.getEncoder());
                redacting.setContext(context);
                redacting.start();
                appender.setEncoder(redacting);
            }
        }
    }
}
