package org.mrw.protocol;

import java.io.IOException;

/**
 * The byte stream broke the wire protocol: bad magic, another protocol version, an unknown frame
 * type, a length over the limit, a stream that ended inside a frame, or a malformed JSON header.
 * The message says what was wrong; the connection cannot be trusted afterwards and should be closed.
 */
public class ProtocolException extends IOException {

    private static final long serialVersionUID = 1L;

    public ProtocolException(String message) {
        super(message);
    }

    public ProtocolException(String message, Throwable cause) {
        super(message, cause);
    }
}
