/**
 * Datasets in the workbench's canonical form: {@link org.mrw.core.data.Dataset} hands out
 * {@link org.mrw.core.data.ImageBatch}es (NCHW floats in [0,1] with labels) and class names, whatever
 * the files were. {@link org.mrw.core.data.Datasets} opens IDX, CIFAR-10 binary, image folders and
 * NumPy files, and the bundled Fashion-MNIST test split; readers check every declared size against
 * limits and the real file size before allocating, and report bad input as a
 * {@link org.mrw.core.data.DatasetFormatException} that says what to fix.
 */
package org.mrw.core.data;
