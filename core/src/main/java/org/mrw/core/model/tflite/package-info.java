/**
 * TensorFlow Lite: {@link org.mrw.core.model.tflite.TfliteClassifier} runs {@code .tflite} models
 * (float32 and int8) in the desktop TFLite 2.6 interpreter; {@link org.mrw.core.model.tflite.TfliteModelWriter}
 * writes such models from float weights, without Python or the TensorFlow converter.
 */
package org.mrw.core.model.tflite;
