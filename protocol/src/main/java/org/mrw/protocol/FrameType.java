package org.mrw.protocol;

/**
 * The kinds of frame, with their wire codes. Requests go from the workbench to the agent; every
 * request gets exactly one reply with the same request id: its own reply type, or {@link #ERROR}.
 * protocol/README.md lists each type's header fields.
 */
public enum FrameType {
    /** Workbench → agent, first frame of every connection: session token. */
    HELLO(1),
    /** Agent → workbench, reply to HELLO: versions, device, runtimes. */
    WELCOME(2),
    /** Workbench → agent: a model, as payload bytes or as a path already pushed to the device. */
    LOAD_MODEL(3),
    /** Both ways: the request asks about a loaded model; the reply (also to LOAD_MODEL) describes it. */
    MODEL_INFO(4),
    /** Workbench → agent: a batch of float32 inputs. */
    INFER(5),
    /** Agent → workbench, reply to INFER: float32 scores and timings. */
    RESULT(6),
    /** Agent → workbench: the request failed; header {@code message} says why. */
    ERROR(7),
    /** Workbench → agent, and its acknowledgement: free a model. */
    UNLOAD(8),
    /** Workbench → agent, and its echo: liveness and round-trip time. */
    PING(9),
    /** Workbench → agent, and its acknowledgement: the agent exits after replying. */
    SHUTDOWN(10);

    private static final FrameType[] BY_CODE = new FrameType[11];

    static {
        for (FrameType t : values()) {
            BY_CODE[t.code] = t;
        }
    }

    private final int code;

    FrameType(int code) {
        this.code = code;
    }

    /** The u16 written on the wire. */
    public int code() {
        return code;
    }

    /**
     * The type of a wire code.
     *
     * @throws ProtocolException for a code no type has
     */
    public static FrameType ofCode(int code) throws ProtocolException {
        FrameType t = code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
        if (t == null) {
            throw new ProtocolException("unknown frame type " + code + " (this side knows 1.." + (BY_CODE.length - 1)
                    + "): the peer speaks another dialect of protocol " + Protocol.VERSION);
        }
        return t;
    }
}
