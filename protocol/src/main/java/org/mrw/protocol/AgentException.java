package org.mrw.protocol;

/**
 * The agent answered a request with an ERROR frame: the request failed, but the connection is
 * usually still usable (unless {@link #connectionClosed()}, as after a refused HELLO).
 */
public class AgentException extends Exception {

    private static final long serialVersionUID = 1L;

    private final String kind;
    private final boolean connectionClosed;

    /**
     * @param kind             the ERROR header's {@code kind}: auth, protocol, request, load, infer, internal
     * @param connectionClosed whether the agent closed the connection after this error
     */
    public AgentException(String message, String kind, boolean connectionClosed) {
        super(message);
        this.kind = kind;
        this.connectionClosed = connectionClosed;
    }

    /** The category the agent gave: auth, protocol, request, load, infer or internal. */
    public String kind() {
        return kind;
    }

    /** Whether the agent closed the connection after replying. */
    public boolean connectionClosed() {
        return connectionClosed;
    }
}
