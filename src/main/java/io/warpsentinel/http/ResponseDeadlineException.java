package io.warpsentinel.http;

import java.io.InterruptedIOException;

/** An HTTP answer that was not complete by its deadline: its connection was closed. May pass on a retry. */
public class ResponseDeadlineException extends InterruptedIOException {

    public ResponseDeadlineException(String message) {
        super(message);
    }
}
