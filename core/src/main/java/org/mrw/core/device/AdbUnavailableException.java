package org.mrw.core.device;

/** No usable {@code adb} binary or adb server: the message says what to install or set. */
public class AdbUnavailableException extends DeviceException {

    private static final long serialVersionUID = 1L;

    public AdbUnavailableException(String message) {
        super(message);
    }

    public AdbUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
