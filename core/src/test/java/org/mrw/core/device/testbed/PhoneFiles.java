package org.mrw.core.device.testbed;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The phone's filesystem: device paths ({@code /data/local/tmp/...}) map below one host folder.
 * A path that would leave the folder (through {@code ..}) is refused, whatever the command or service.
 */
final class PhoneFiles {

    /** A device path the phone refuses (outside its root, or not a valid path). */
    static final class Refused extends IOException {
        Refused(String message) {
            super(message);
        }
    }

    private final Path root;

    PhoneFiles(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    Path root() {
        return root;
    }

    /** Maps an absolute device path, or one relative to the shell's working directory {@code /}. */
    Path map(String devicePath) throws Refused {
        if (devicePath.isEmpty() || devicePath.indexOf('\0') >= 0) {
            throw new Refused("invalid path");
        }
        String relative = devicePath.replaceFirst("^/+", "");
        Path p = root.resolve(relative).normalize();
        if (!p.startsWith(root)) {
            throw new Refused(devicePath + ": Permission denied");
        }
        return p;
    }

    /** True for the one device file that is not under the root. */
    static boolean isDevNull(String devicePath) {
        return devicePath.equals("/dev/null");
    }
}
