package io.warpsentinel.http;

import java.io.IOException;

/** An HTTP answer whose body passed the size limit: its connection was closed. Not worth retrying. */
public class ResponseTooLargeException extends IOException {

    public ResponseTooLargeException(String message) {
        super(message);
    }
}
