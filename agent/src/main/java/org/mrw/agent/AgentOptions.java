package org.mrw.agent;

import java.io.File;
import java.util.Map;

/**
 * The agent's {@code key=value} arguments (after the protocol version), scrcpy-style:
 * {@code port} (0 = ephemeral; default 0), {@code token} (else env {@code MRW_AGENT_TOKEN};
 * required), {@code threads} (default 2), {@code dir} (model files; default the working
 * directory's {@code models}), {@code libs} (native libraries to load first; optional),
 * {@code idle} (seconds without a connection before exiting; default 600, 0 = never).
 */
final class AgentOptions {

    static final String TOKEN_ENV = "MRW_AGENT_TOKEN";

    final int port;
    final String token;
    final int threads;
    final File dir;
    final File libs;
    final int idleSeconds;

    AgentOptions(int port, String token, int threads, File dir, File libs, int idleSeconds) {
        this.port = port;
        this.token = token;
        this.threads = threads;
        this.dir = dir;
        this.libs = libs;
        this.idleSeconds = idleSeconds;
    }

    /**
     * Parses arguments.
     *
     * @throws IllegalArgumentException naming the bad argument
     */
    static AgentOptions parse(String[] args, int from, Map<String, String> env) {
        int port = 0;
        String token = env.get(TOKEN_ENV);
        int threads = 2;
        File dir = new File("models");
        File libs = null;
        int idle = 600;
        for (int i = from; i < args.length; i++) {
            String a = args[i];
            int eq = a.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("argument '" + a + "' is not key=value");
            }
            String key = a.substring(0, eq);
            String value = a.substring(eq + 1);
            if ("port".equals(key)) {
                port = number(key, value, 0, 65535);
            } else if ("token".equals(key)) {
                token = value;
            } else if ("threads".equals(key)) {
                threads = number(key, value, 1, 64);
            } else if ("dir".equals(key)) {
                dir = new File(value);
            } else if ("libs".equals(key)) {
                libs = value.isEmpty() ? null : new File(value);
            } else if ("idle".equals(key)) {
                idle = number(key, value, 0, Integer.MAX_VALUE);
            } else {
                throw new IllegalArgumentException("unknown option '" + key + "' (known: port, token, threads, dir, libs, idle)");
            }
        }
        if (token == null || token.isEmpty()) {
            throw new IllegalArgumentException("no session token: pass token=... or set " + TOKEN_ENV);
        }
        return new AgentOptions(port, token, threads, dir, libs, idle);
    }

    private static int number(String key, String value, int min, int max) {
        try {
            int n = Integer.parseInt(value);
            if (n < min || n > max) {
                throw new IllegalArgumentException(key + "=" + value + " is outside " + min + ".." + max);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + "=" + value + " is not a number", e);
        }
    }
}
