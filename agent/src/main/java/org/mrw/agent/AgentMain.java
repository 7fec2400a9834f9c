package org.mrw.agent;

import org.mrw.protocol.Protocol;

/**
 * Entry point of the companion agent, started on a phone as
 * {@code CLASSPATH=/data/local/tmp/mrw/agent.jar app_process / org.mrw.agent.AgentMain VERSION key=value...}.
 * Like scrcpy's server it checks the exact protocol version first. The request loop and the runtime
 * backends (TFLite, PyTorch Lite) arrive with Step 5.
 */
public final class AgentMain {

    private AgentMain() {
    }

    public static void main(String[] args) {
        int code;
        try {
            code = run(args);
        } catch (RuntimeException e) {
            System.err.println("mrw-agent: " + e.getMessage());
            code = 1;
        }
        System.exit(code);
    }

    /** Checks the version argument; returns the process exit code. */
    static int run(String[] args) {
        if (args.length == 0) {
            System.err.println("usage: AgentMain PROTOCOL_VERSION [key=value...]");
            return 2;
        }
        if (!String.valueOf(Protocol.VERSION).equals(args[0])) {
            System.err.println("mrw-agent: protocol version " + args[0] + " requested, this agent speaks " + Protocol.VERSION
                    + "; redeploy the agent from this workbench");
            return 3;
        }
        System.out.println("mrw-agent protocol " + Protocol.VERSION);
        return 0;
    }
}
