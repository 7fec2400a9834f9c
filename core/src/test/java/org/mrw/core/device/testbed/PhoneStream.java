package org.mrw.core.device.testbed;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The phone's end of one adb stream (an OPEN the host made). Data from the host arrives as WRTE
 * payloads and is read through {@link #input()}; each payload is acknowledged with OKAY once a service
 * has consumed it, so a host that honours flow control cannot flood the phone. Data to the host goes
 * through {@link #output()}, cut into payloads of at most the negotiated size, each sent only after the
 * host's OKAY for the previous one, as adbd does.
 */
final class PhoneStream {

    private static final byte[] END = new byte[0];

    private final FakeTransport transport;
    private final int localId;
    private final int remoteId;
    private final int maxPayload;
    private final LinkedBlockingQueue<byte[]> incoming = new LinkedBlockingQueue<>();
    private final Semaphore mayWrite = new Semaphore(1);
    private final AtomicBoolean closed = new AtomicBoolean();
    private final InputStream input = new Input();
    private final OutputStream output = new Output();

    PhoneStream(FakeTransport transport, int localId, int remoteId, int maxPayload) {
        this.transport = transport;
        this.localId = localId;
        this.remoteId = remoteId;
        this.maxPayload = maxPayload;
    }

    int localId() {
        return localId;
    }

    /** Bytes the host wrote; EOF once the host (or the transport) closed the stream. */
    InputStream input() {
        return input;
    }

    /** Bytes to the host; fails once the stream is closed. */
    OutputStream output() {
        return output;
    }

    boolean isClosed() {
        return closed.get();
    }

    /** Called by the transport's reader for each WRTE. */
    void received(byte[] payload) {
        if (!closed.get()) {
            incoming.add(payload);
        }
    }

    /** Called by the transport's reader for each OKAY: the host took the previous WRTE. */
    void acknowledged() {
        mayWrite.release();
    }

    /** The host sent CLSE, or the transport died: wake readers and writers; nothing more is sent. */
    void remoteClosed() {
        if (closed.compareAndSet(false, true)) {
            incoming.add(END);
            mayWrite.release(Integer.MAX_VALUE / 2);
            transport.forget(this);
        }
    }

    /** The phone side is done: tell the host with CLSE (once). */
    void close() {
        if (closed.compareAndSet(false, true)) {
            incoming.add(END);
            mayWrite.release(Integer.MAX_VALUE / 2);
            transport.send(AdbWire.CLSE, localId, remoteId, new byte[0], 0, 0);
            transport.forget(this);
        }
    }

    private final class Input extends InputStream {
        private byte[] current;
        private int position;

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            while (current == null || position == current.length) {
                if (current == END) {
                    return -1;
                }
                if (current != null) {
                    acknowledge(); // an empty WRTE
                }
                try {
                    current = incoming.take();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted while reading an adb stream");
                }
                position = 0;
                if (current == END) {
                    incoming.add(END);
                    return -1;
                }
            }
            int n = Math.min(len, current.length - position);
            System.arraycopy(current, position, b, off, n);
            position += n;
            if (position == current.length) {
                acknowledge();
                current = null;
            }
            return n;
        }
    }

    private void acknowledge() {
        if (!closed.get()) {
            transport.send(AdbWire.OKAY, localId, remoteId, new byte[0], 0, 0);
        }
    }

    private final class Output extends OutputStream {
        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            while (len > 0) {
                try {
                    while (!mayWrite.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                        if (closed.get()) {
                            break;
                        }
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted while writing an adb stream");
                }
                if (closed.get()) {
                    throw new IOException("adb stream " + localId + " is closed");
                }
                int n = Math.min(len, maxPayload);
                transport.send(AdbWire.WRTE, localId, remoteId, b, off, n);
                off += n;
                len -= n;
            }
        }
    }
}
