package io.skyrun.http;

import java.io.IOException;

/** An outbound call was refused by the address guard; the message says why. */
public class OutboundRefused extends IOException {
    private static final long serialVersionUID = 1L;

    public OutboundRefused(String message) {
        super(message);
    }

    public OutboundRefused(String message, Throwable cause) {
        super(message, cause);
    }
}
