package org.mrw.core.data;

/** PLACEHOLDER: options for readers that need them (image folder resize/crop, NPY layout). */
public record DatasetOptions() {
    public static DatasetOptions defaults() {
        return new DatasetOptions();
    }
}
