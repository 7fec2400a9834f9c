package org.mrw.core.device;

/**
 * The device went away (cable pulled, adbd restarted, Wi-Fi lost) while it was in use. Whatever was
 * open on it is gone; after it returns, {@link Device#reconnect()} and open a new stream.
 */
public class DeviceDisconnectedException extends DeviceException {

    private static final long serialVersionUID = 1L;

    public DeviceDisconnectedException(String message, Throwable cause) {
        super(message, cause);
    }
}
