/**
 * The reference model zoo. Reads the folded network graphs the Python recipe writes
 * ({@code <arch>.graph.json} + {@code <arch>.weights.npz}, see {@code models/recipe/zoo_graph.py}) and
 * exports them, with the same weights and PyTorch's semantics, as a TensorFlow SavedModel
 * ({@link org.mrw.core.zoo.SavedModelExport}) and float32 / full-int8 TFLite files
 * ({@link org.mrw.core.zoo.TfliteExport}); writes the manifest ({@code models/zoo.json},
 * {@link org.mrw.core.zoo.ZooManifestBuilder}) and checks a checkout against it ({@link org.mrw.core.zoo.ZooVerifier}).
 */
package org.mrw.core.zoo;
