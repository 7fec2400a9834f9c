/**
 * TensorFlow SavedModels: inference through DJL's TensorFlow engine, input gradients through TF Java
 * ({@code Graph.addGradients} on the loaded graph), both on the natives of {@code tensorflow-core-native}.
 * {@link org.mrw.core.model.tensorflow.SavedModelClassifier} is the entry point; the rest reads the
 * serving signature, runs the two backends and inlines function calls so Keras graphs can be differentiated.
 */
package org.mrw.core.model.tensorflow;
