package org.mrw.core.device;

import java.io.IOException;

/** A device operation failed: the device refused, a command exited non-zero, or adb itself failed. */
public class DeviceException extends IOException {

    private static final long serialVersionUID = 1L;

    public DeviceException(String message) {
        super(message);
    }

    public DeviceException(String message, Throwable cause) {
        super(message, cause);
    }
}
