package org.mrw.protocol;

/**
 * One frame: its type, the request id that pairs a reply with its request, a JSON header and a
 * raw payload (float32 little-endian tensors, or model bytes). Immutable apart from the payload
 * array, which is handed over, not copied.
 */
public final class Frame {

    private static final byte[] NO_PAYLOAD = new byte[0];

    private final FrameType type;
    private final int requestId;
    private final Header header;
    private final byte[] payload;

    /**
     * @param requestId an unsigned 32-bit id; replies carry their request's id, and 0 marks an ERROR
     *                  about the connection itself (bad HELLO, protocol error) rather than one request
     * @param payload   may be null for none
     */
    public Frame(FrameType type, int requestId, Header header, byte[] payload) {
        if (type == null || header == null) {
            throw new IllegalArgumentException("a frame needs a type and a header");
        }
        this.type = type;
        this.requestId = requestId;
        this.header = header;
        this.payload = payload == null ? NO_PAYLOAD : payload;
    }

    public Frame(FrameType type, int requestId, Header header) {
        this(type, requestId, header, null);
    }

    public FrameType type() {
        return type;
    }

    public int requestId() {
        return requestId;
    }

    public Header header() {
        return header;
    }

    /** The payload bytes (not a copy); empty when there is none. */
    public byte[] payload() {
        return payload;
    }

    @Override
    public String toString() {
        String h = header.toJson();
        return type + "#" + (requestId & 0xffffffffL) + " " + (h.length() > 200 ? h.substring(0, 200) + "..." : h)
                + " +" + payload.length + " bytes";
    }
}
