package org.mrw.core.figure;

/** Where a target ran; it picks the marker in every chart (circle, square, triangle). */
public enum Platform {
    PC("PC"),
    MOBILE("mobile"),
    HOST_DEVICE("host device");

    private final String displayName;

    Platform(String displayName) {
        this.displayName = displayName;
    }

    public String displayName() {
        return displayName;
    }
}
