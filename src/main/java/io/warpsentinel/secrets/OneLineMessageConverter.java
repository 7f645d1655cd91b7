package io.warpsentinel.secrets;

import ch.qos.logback.classic.pattern.ClassicConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;

/**
 * {@code %oneLineMsg}: the log message with its control characters escaped, so text from outside
 * (an error body with line breaks or terminal escapes) can never forge a log line of its own.
 * Stack traces keep their lines; they come after the message.
 */
public final class OneLineMessageConverter extends ClassicConverter {

    @Override
    public String convert(ILoggingEvent event) {
        return FailureText.escapeControls(event.getFormattedMessage());
    }
}
