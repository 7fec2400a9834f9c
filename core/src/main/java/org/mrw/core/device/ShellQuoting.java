package org.mrw.core.device;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Turns values into words of a device shell command. adb's shell service takes one command string, so
 * every argument is single-quoted ({@code '} becomes {@code '\''}), which makes it data for any POSIX sh,
 * Android's mksh included. Values with control characters are refused outright: they have no business in
 * a serial or a path, and a newline could end a command early on older adbd that rewrites arguments.
 */
public final class ShellQuoting {

    private ShellQuoting() {
    }

    /** One single-quoted shell word holding exactly {@code value}. */
    public static String quote(String value) {
        requireNoControlCharacters("shell argument", value);
        return "'" + value.replace("'", "'\\''") + "'";
    }

    /** Quotes each value and joins them with spaces. */
    public static String quoteAll(List<String> values) {
        return values.stream().map(ShellQuoting::quote).collect(Collectors.joining(" "));
    }

    /** Checks an absolute device path: no control characters, no {@code ..} or empty components. */
    public static String devicePath(String path) {
        requireNoControlCharacters("device path", path);
        if (!path.startsWith("/") || path.length() > 1024) {
            throw new IllegalArgumentException("device path must be absolute and at most 1024 characters: " + path);
        }
        for (String part : path.substring(1).split("/", -1)) {
            if (part.isEmpty() || part.equals(".") || part.equals("..")) {
                throw new IllegalArgumentException("device path has an empty, '.' or '..' component: " + path);
            }
        }
        return path;
    }

    /** Checks a device serial as adb prints it ({@code R58M...}, {@code emulator-5554}, {@code 10.0.0.2:5555}). */
    public static String serial(String serial) {
        if (serial == null || !serial.matches("[A-Za-z0-9._:\\-\\[\\]%]{1,128}")) {
            throw new IllegalArgumentException("not a device serial: " + printable(serial));
        }
        return serial;
    }

    static void requireNoControlCharacters(String what, String value) {
        if (value == null) {
            throw new IllegalArgumentException(what + " is null");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0)) {
                throw new IllegalArgumentException(what + " contains a control character: " + printable(value));
            }
        }
    }

    private static String printable(String value) {
        if (value == null) {
            return "null";
        }
        StringBuilder b = new StringBuilder();
        for (char c : value.toCharArray()) {
            b.append(c < 0x20 || c == 0x7f ? String.format("\\x%02x", (int) c) : String.valueOf(c));
        }
        return b.toString();
    }
}
