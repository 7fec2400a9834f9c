package org.mrw.core.device;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * A duplex byte stream to a port on the device's loopback (adb's {@code tcp:PORT}). Reads and writes
 * fail with {@link DeviceDisconnectedException} when the device goes away mid-stream; an end of stream
 * ({@code -1}) means the program on the device closed the connection while the device stayed connected.
 */
public interface DeviceStream extends Closeable {

    InputStream input();

    /** Output is buffered: call {@code flush()} to send. */
    OutputStream output();

    @Override
    void close() throws IOException;
}
