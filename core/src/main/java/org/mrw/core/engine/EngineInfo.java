package org.mrw.core.engine;

/**
 * A started inference engine and the version of its native library.
 *
 * @param name    engine name as users know it ({@code PyTorch}, {@code TensorFlow}, ...)
 * @param version native library version, e.g. {@code 2.7.1}
 */
public record EngineInfo(String name, String version) {
}
