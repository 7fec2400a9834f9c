package org.mrw.protocol;

/**
 * Constants of the workbench-agent wire protocol that both sides must agree on before anything
 * else: the agent refuses a workbench of another version (scrcpy-style exact check), and every
 * length read from the wire is checked against these maxima before a buffer is allocated.
 * The frame codec arrives with Step 5 (phones and the host device).
 */
public final class Protocol {

    /** First four bytes of every frame: ASCII "MRW1". */
    public static final int MAGIC = 0x4D525731;

    /** Protocol version; bumped on any incompatible change. */
    public static final int VERSION = 1;

    /** Largest UTF-8 JSON header a frame may carry. */
    public static final int MAX_HEADER_BYTES = 64 * 1024;

    /** Largest tensor payload a frame may carry (a batch of 256 RGB 299x299 float images fits). */
    public static final int MAX_PAYLOAD_BYTES = 256 * 1024 * 1024;

    private Protocol() {
    }

    /**
     * Checks a length read from the wire before it sizes a buffer.
     *
     * @throws IllegalArgumentException when negative or above {@code max}
     */
    public static int checkLength(String what, long length, int max) {
        if (length < 0 || length > max) {
            throw new IllegalArgumentException(what + " length " + length + " is outside 0.." + max);
        }
        return (int) length;
    }
}
