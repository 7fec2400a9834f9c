package org.mrw.core.model;

import java.nio.file.Path;

/**
 * What a loaded model is.
 *
 * @param id      short name (file name without extension unless the descriptor gives one)
 * @param file    the file or SavedModel folder
 * @param format  on-disk format
 * @param runtime the runtime executing it in this process
 * @param variant float or int8
 */
public record ModelInfo(String id, Path file, ModelFormat format, Runtime runtime, Variant variant) {

    public Framework framework() {
        return runtime.framework();
    }
}
