package org.mrw.core.device.testbed;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One adb transport (a host's TCP connection to the phone, as adbd's {@code atransport}): the CNXN
 * handshake without authentication, then OPEN/OKAY/WRTE/CLSE multiplexing onto {@link PhoneStream}s,
 * each served by its own thread. A single reader thread dispatches messages and never blocks on a service.
 */
final class FakeTransport implements Closeable {

    /** Interface to the phone: turns a service name into a running service, or refuses it. */
    interface Services {
        /** Returns the service for {@code name}, or null to refuse the OPEN (the host sees it fail). */
        Service open(String name) throws IOException;
    }

    /** A service bound to one stream; runs on its own thread and closes the stream when done. */
    interface Service {
        void serve(PhoneStream stream) throws IOException;
    }

    private final Socket socket;
    private final Services services;
    private final String banner;
    private final OutputStream out;
    private final Map<Integer, PhoneStream> streams = new ConcurrentHashMap<>();
    private final AtomicInteger nextId = new AtomicInteger(1);
    private volatile boolean dead;
    private int maxPayload = AdbWire.MAX_PAYLOAD;

    FakeTransport(Socket socket, Services services, String banner) throws IOException {
        this.socket = socket;
        this.services = services;
        this.banner = banner;
        this.out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
    }

    /** Runs the handshake and the reader loop until the host or {@link #close()} ends the connection. */
    void run() {
        try {
            DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), 64 * 1024));
            AdbWire.Message hello = AdbWire.read(in, 64 * 1024, false);
            if (hello.command() != AdbWire.CNXN) {
                throw new IOException("expected CNXN, got " + hello);
            }
            int version = Integer.compareUnsigned(hello.arg0(), AdbWire.VERSION_SKIP_CHECKSUM) < 0
                    ? hello.arg0() : AdbWire.VERSION_SKIP_CHECKSUM;
            maxPayload = Math.max(4096, Math.min(hello.arg1(), AdbWire.MAX_PAYLOAD));
            // Checksums are never verified, as by current adbd: dadb 1.2.10 announces version 0x01000000 yet
            // sums its whole 1 MB write buffer instead of the payload, and phones accept it.
            boolean checkSums = false;
            byte[] b = banner.getBytes(StandardCharsets.UTF_8);
            send(AdbWire.CNXN, version, maxPayload, b, 0, b.length);
            while (!dead) {
                dispatch(AdbWire.read(in, maxPayload, checkSums));
            }
        } catch (IOException e) {
            // The host went away or the phone was unplugged: every stream ends with the transport.
        } finally {
            close();
        }
    }

    private void dispatch(AdbWire.Message m) throws IOException {
        switch (m.command()) {
            case AdbWire.OPEN -> open(m.arg0(), m.payloadText());
            case AdbWire.WRTE -> {
                PhoneStream s = streams.get(m.arg1());
                if (s != null) {
                    s.received(m.payload());
                }
            }
            case AdbWire.OKAY -> {
                PhoneStream s = streams.get(m.arg1());
                if (s != null) {
                    s.acknowledged();
                }
            }
            case AdbWire.CLSE -> {
                PhoneStream s = streams.get(m.arg1());
                if (s != null) {
                    s.remoteClosed();
                }
            }
            default -> {
                // CNXN again, AUTH, SYNC or anything newer: not spoken by this double; ignored like unknown packets.
            }
        }
    }

    private void open(int remoteId, String name) {
        Service service;
        try {
            service = services.open(name);
        } catch (IOException e) {
            service = null;
        }
        if (service == null) {
            send(AdbWire.CLSE, 0, remoteId, new byte[0], 0, 0); // adbd's answer to an OPEN it cannot serve
            return;
        }
        int localId = nextId.getAndIncrement();
        PhoneStream stream = new PhoneStream(this, localId, remoteId, maxPayload);
        streams.put(localId, stream);
        send(AdbWire.OKAY, localId, remoteId, new byte[0], 0, 0);
        Service chosen = service;
        Thread t = new Thread(() -> {
            try {
                chosen.serve(stream);
            } catch (IOException e) {
                // The stream or the transport broke; closing below tells the host if it is still there.
            } finally {
                stream.close();
            }
        }, "fake-phone-" + name.split(":", 2)[0] + "-" + localId);
        t.setDaemon(true);
        t.start();
    }

    /** Sends one message; after the transport died, silently does nothing. */
    void send(int command, int arg0, int arg1, byte[] data, int off, int len) {
        if (dead) {
            return;
        }
        synchronized (out) {
            try {
                AdbWire.write(out, command, arg0, arg1, data, off, len);
            } catch (IOException e) {
                close();
            }
        }
    }

    void forget(PhoneStream stream) {
        streams.remove(stream.localId());
    }

    boolean isDead() {
        return dead;
    }

    /** Drops the connection at once (an unplugged cable): no CLSE is sent, every stream ends. */
    @Override
    public void close() {
        dead = true;
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing a socket that is already broken
        }
        for (PhoneStream s : List.copyOf(streams.values())) {
            s.remoteClosed();
        }
    }
}
