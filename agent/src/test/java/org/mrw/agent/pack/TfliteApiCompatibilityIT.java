package org.mrw.agent.pack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.FieldVisitor;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * The agent's TfliteRuntime is compiled against the desktop TFLite 2.6.2 classes (tflite-engine
 * 0.27.0) but runs on phones against the 2.16.1 AAR classes dexed into classes.dex. A JVM (or ART)
 * links a call by owner, name and descriptor, and by whether the owner is a class or an interface:
 * this test reads both sets of class files and pins every call the runtime may make.
 */
class TfliteApiCompatibilityIT {

    record MethodRef(String owner, String name, String descriptor) {
    }

    /** One set of TFLite classes: name to (access flags, super, interfaces, methods, fields). */
    static final class ClassSet {
        final Map<String, Integer> access = new HashMap<>();
        final Map<String, List<String>> supertypes = new HashMap<>();
        final Map<String, List<String>> members = new HashMap<>();

        void read(Path jar) throws IOException {
            try (ZipFile zip = new ZipFile(jar.toFile())) {
                for (ZipEntry e : java.util.Collections.list(zip.entries())) {
                    if (!e.getName().startsWith("org/tensorflow/lite/") || !e.getName().endsWith(".class")) {
                        continue;
                    }
                    try (InputStream in = zip.getInputStream(e)) {
                        new ClassReader(in).accept(new ClassVisitor(Opcodes.ASM9) {
                            String name;

                            @Override
                            public void visit(int version, int flags, String className, String signature, String superName, String[] interfaces) {
                                name = className;
                                access.put(className, flags);
                                List<String> supers = new ArrayList<>();
                                if (superName != null) {
                                    supers.add(superName);
                                }
                                supers.addAll(List.of(interfaces));
                                supertypes.put(className, supers);
                                members.put(className, new ArrayList<>());
                            }

                            @Override
                            public MethodVisitor visitMethod(int flags, String method, String descriptor, String signature, String[] exceptions) {
                                if ((flags & Opcodes.ACC_PUBLIC) != 0) {
                                    members.get(name).add(method + descriptor);
                                }
                                return null;
                            }

                            @Override
                            public FieldVisitor visitField(int flags, String field, String descriptor, String signature, Object value) {
                                if ((flags & Opcodes.ACC_PUBLIC) != 0) {
                                    members.get(name).add(field + ":" + descriptor);
                                }
                                return null;
                            }
                        }, ClassReader.SKIP_CODE);
                    }
                }
            }
        }

        /** The class that declares the member, searching superclasses and interfaces like JVM method resolution. */
        Optional<String> resolve(String owner, String member) {
            if (!members.containsKey(owner)) {
                return Optional.empty();
            }
            if (members.get(owner).contains(member)) {
                return Optional.of(owner);
            }
            for (String parent : supertypes.get(owner)) {
                Optional<String> found = resolve(parent, member);
                if (found.isPresent()) {
                    return found;
                }
            }
            return Optional.empty();
        }

        boolean isInterface(String owner) {
            return (access.get(owner) & Opcodes.ACC_INTERFACE) != 0;
        }
    }

    static ClassSet desktop;
    static ClassSet android;

    @BeforeAll
    static void readBoth() throws IOException {
        Path mobile = Path.of(System.getProperty("mrw.phone.mobile"));
        desktop = new ClassSet();
        desktop.read(mobile.resolve("tflite-desktop.jar"));
        android = new ClassSet();
        android.read(mobile.resolve("tensorflow-lite-classes.jar"));
        android.read(mobile.resolve("tensorflow-lite-api-classes.jar"));
    }

    @ParameterizedTest(name = "{0}.{1}{2}")
    @CsvSource(delimiter = ' ', value = {
        "org/tensorflow/lite/Interpreter <init> (Ljava/io/File;Lorg/tensorflow/lite/Interpreter$Options;)V",
        "org/tensorflow/lite/Interpreter <init> (Ljava/nio/ByteBuffer;Lorg/tensorflow/lite/Interpreter$Options;)V",
        "org/tensorflow/lite/Interpreter <init> (Ljava/io/File;)V",
        "org/tensorflow/lite/Interpreter$Options <init> ()V",
        "org/tensorflow/lite/Interpreter$Options setNumThreads (I)Lorg/tensorflow/lite/Interpreter$Options;",
        "org/tensorflow/lite/Interpreter getInputTensor (I)Lorg/tensorflow/lite/Tensor;",
        "org/tensorflow/lite/Interpreter getOutputTensor (I)Lorg/tensorflow/lite/Tensor;",
        "org/tensorflow/lite/Interpreter getInputTensorCount ()I",
        "org/tensorflow/lite/Interpreter getOutputTensorCount ()I",
        "org/tensorflow/lite/Interpreter resizeInput (I[I)V",
        "org/tensorflow/lite/Interpreter allocateTensors ()V",
        "org/tensorflow/lite/Interpreter run (Ljava/lang/Object;Ljava/lang/Object;)V",
        "org/tensorflow/lite/Interpreter close ()V",
        "org/tensorflow/lite/Tensor shape ()[I",
        "org/tensorflow/lite/Tensor dataType ()Lorg/tensorflow/lite/DataType;",
        "org/tensorflow/lite/Tensor numElements ()I",
        "org/tensorflow/lite/Tensor quantizationParams ()Lorg/tensorflow/lite/Tensor$QuantizationParams;",
        "org/tensorflow/lite/Tensor$QuantizationParams getScale ()F",
        "org/tensorflow/lite/Tensor$QuantizationParams getZeroPoint ()I",
        "org/tensorflow/lite/DataType values ()[Lorg/tensorflow/lite/DataType;",
        "org/tensorflow/lite/DataType byteSize ()I",
    })
    void everyCallTheAgentMayMakeResolvesWithTheSameDescriptorOnDesktopAndAndroid(String owner, String name, String descriptor) {
        String member = name + descriptor;
        assertThat(desktop.resolve(owner, member)).as("desktop 2.6.2 " + owner + "." + member).isPresent();
        assertThat(android.resolve(owner, member)).as("android 2.16.1 " + owner + "." + member).isPresent();
    }

    @ParameterizedTest
    @CsvSource({"FLOAT32", "INT32", "UINT8", "INT64", "STRING", "BOOL", "INT16", "INT8"})
    void dataTypeConstantsExistInBoth(String constant) {
        String field = constant + ":Lorg/tensorflow/lite/DataType;";
        assertThat(desktop.resolve("org/tensorflow/lite/DataType", field)).isPresent();
        assertThat(android.resolve("org/tensorflow/lite/DataType", field)).isPresent();
    }

    /**
     * The one mismatch: {@code Tensor} is a final class in 2.6.2 and an interface in 2.16.1. Code
     * compiled against the desktop classes calls {@code tensor.shape()} with invokevirtual, which
     * ART refuses with IncompatibleClassChangeError on a phone (and the reverse fails on the desktop).
     * Descriptors are equal; only the call kind differs. Tensor calls must go through reflection or
     * method handles (or a per-platform compilation), everything else may be called directly.
     */
    @Test
    void tensorIsAFinalClassOnTheDesktopButAnInterfaceOnAndroid() {
        assertThat(desktop.isInterface("org/tensorflow/lite/Tensor")).isFalse();
        assertThat(android.isInterface("org/tensorflow/lite/Tensor")).isTrue();
        assertThat(desktop.isInterface("org/tensorflow/lite/Tensor$QuantizationParams")).isFalse();
        assertThat(android.isInterface("org/tensorflow/lite/Tensor$QuantizationParams")).isFalse();
    }

    @ParameterizedTest
    @CsvSource({"org/tensorflow/lite/Interpreter", "org/tensorflow/lite/Interpreter$Options", "org/tensorflow/lite/DataType"})
    void theOtherTypesAreClassesInBoth(String type) {
        assertThat(desktop.isInterface(type)).isFalse();
        assertThat(android.isInterface(type)).isFalse();
    }
}
