package org.mrw.agent;

import java.io.IOException;
import java.io.PrintStream;
import org.mrw.protocol.Protocol;

/**
 * Entry point of the companion agent:
 * {@code CLASSPATH=/data/local/tmp/mrw/agent.jar app_process / org.mrw.agent.AgentMain VERSION key=value...}
 * on a phone, {@code java -cp agent.jar:... org.mrw.agent.AgentMain VERSION key=value...} on the host.
 *
 * <p>Like scrcpy's server it checks the exact protocol version first, then reads {@link AgentOptions}
 * ({@code port token threads dir libs idle}), loads the {@code libs=} natives, finds the runtimes,
 * binds 127.0.0.1 and prints exactly one line on stdout, which the launcher parses:
 * {@code mrw-agent listening 127.0.0.1:PORT protocol 1}. Everything else goes to stderr.
 * Exit codes: 0 after SHUTDOWN or the idle timeout, 1 failure, 2 usage, 3 protocol version mismatch.
 */
public final class AgentMain {

    /** The line printed once the port is bound: format with the port. */
    public static final String LISTENING_FORMAT = "mrw-agent listening 127.0.0.1:%d protocol %d";

    private AgentMain() {
    }

    public static void main(String[] args) {
        int code;
        try {
            code = run(args, System.out, System.err);
        } catch (RuntimeException | LinkageError e) {
            System.err.println("mrw-agent: " + e);
            code = 1;
        }
        System.out.flush();
        System.exit(code);
    }

    /** Checks the version argument; returns the process exit code. */
    static int run(String[] args) {
        return run(args, System.out, System.err);
    }

    /** Runs the agent until it stops; returns the process exit code. */
    static int run(String[] args, PrintStream out, PrintStream log) {
        if (args.length == 0) {
            log.println("usage: AgentMain PROTOCOL_VERSION [port=0] [token=T] [threads=2] [dir=DIR] [libs=DIR] [idle=600]");
            return 2;
        }
        if (!String.valueOf(Protocol.VERSION).equals(args[0])) {
            log.println("mrw-agent: protocol version " + args[0] + " requested, this agent speaks " + Protocol.VERSION
                    + "; redeploy the agent from this workbench");
            return 3;
        }
        AgentOptions options;
        try {
            options = AgentOptions.parse(args, 1, System.getenv());
        } catch (IllegalArgumentException e) {
            log.println("mrw-agent: " + e.getMessage());
            return 2;
        }
        if (options.libs != null) {
            NativeLibraries.loadAll(options.libs, log);
        }
        Runtimes runtimes = Runtimes.discover(Runtimes.CANDIDATES, log);
        AgentServer server = new AgentServer(options, runtimes, log);
        try {
            int port = server.start();
            out.println(String.format(LISTENING_FORMAT, port, Protocol.VERSION));
            out.flush();
            String reason = server.awaitStop();
            log.println("mrw-agent: stopped (" + reason + ")");
            return 0;
        } catch (IOException e) {
            log.println("mrw-agent: cannot listen on 127.0.0.1:" + options.port + ": " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        } finally {
            server.close();
        }
    }
}
