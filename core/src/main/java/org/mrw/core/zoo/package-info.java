/**
 * The reference model zoo's Java side: reads the folded network graphs the Python build writes
 * ({@code <arch>.graph.json} + {@code <arch>.weights.npz}, see {@code models/build/zoo_graph.py}) and
 * exports them, with the same weights and PyTorch's semantics, as a TensorFlow SavedModel
 * ({@link org.mrw.core.zoo.SavedModelExport}) and as float32 and full-int8 TFLite files
 * ({@link org.mrw.core.zoo.TfliteExport}).
 */
package org.mrw.core.zoo;
