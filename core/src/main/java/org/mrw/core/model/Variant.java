package org.mrw.core.model;

/** Numeric variant of a model: float weights, or 8-bit quantized. */
public enum Variant {
    FLOAT,
    INT8
}
