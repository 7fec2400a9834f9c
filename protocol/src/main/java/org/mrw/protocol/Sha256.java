package org.mrw.protocol;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** SHA-256 as lower-case hex: how both sides name and verify model files. */
public final class Sha256 {

    private Sha256() {
    }

    public static String hex(byte[] bytes) {
        MessageDigest d = digest();
        d.update(bytes);
        return toHex(d.digest());
    }

    /** Digests the rest of the stream (the caller closes it). */
    public static String hex(InputStream in) throws IOException {
        MessageDigest d = digest();
        byte[] buf = new byte[64 * 1024];
        int n;
        while ((n = in.read(buf)) >= 0) {
            d.update(buf, 0, n);
        }
        return toHex(d.digest());
    }

    private static String toHex(byte[] digest) {
        StringBuilder s = new StringBuilder(64);
        for (byte b : digest) {
            s.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
        }
        return s.toString();
    }

    /** Whether {@code s} looks like a SHA-256 hex digest (64 hex digits, any case). */
    public static boolean isHex(String s) {
        if (s == null || s.length() != 64) {
            return false;
        }
        for (int i = 0; i < 64; i++) {
            if (Character.digit(s.charAt(i), 16) < 0) {
                return false;
            }
        }
        return true;
    }

    private static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
