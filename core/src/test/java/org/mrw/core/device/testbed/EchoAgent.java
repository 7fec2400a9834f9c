package org.mrw.core.device.testbed;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * A stand-in for the companion agent, packed into the pushed {@code agent.jar} by tests and started by
 * the phone's {@code app_process} shim: {@code EchoAgent VERSION port=N [key=value...]} listens on
 * 127.0.0.1:N, prints the line the device layer waits for, and echoes every connection's bytes.
 * JDK-only, because it runs from the jar alone.
 */
public final class EchoAgent {

    private EchoAgent() {
    }

    public static void main(String[] args) throws IOException {
        int port = 0;
        for (String a : args) {
            if (a.startsWith("port=")) {
                port = Integer.parseInt(a.substring(5));
            }
        }
        ServerSocket server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        System.out.println("echo agent starting with " + String.join(" ", args));
        System.out.println("mrw-agent listening 127.0.0.1:" + server.getLocalPort() + " protocol " + args[0]);
        System.out.flush();
        while (true) {
            Socket s = server.accept();
            Thread t = new Thread(() -> echo(s));
            t.setDaemon(true);
            t.start();
        }
    }

    private static void echo(Socket s) {
        try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
            in.transferTo(out);
        } catch (IOException e) {
            System.out.println("connection ended: " + e.getMessage());
        }
    }
}
