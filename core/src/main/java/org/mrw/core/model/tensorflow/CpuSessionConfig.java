package org.mrw.core.model.tensorflow;

import org.tensorflow.proto.ConfigProto;

/**
 * The TensorFlow session options both backends use: CPU only, with DJL's thread-count properties
 * honoured. Handing DJL a config also keeps it from probing for CUDA on every model load (which
 * logs a warning each time on a machine without a GPU driver).
 */
final class CpuSessionConfig {

    /** The system properties DJL's TensorFlow engine reads for its own default config. */
    static final String INTER_OP_THREADS = "ai.djl.tensorflow.num_interop_threads";
    static final String INTRA_OP_THREADS = "ai.djl.tensorflow.num_intraop_threads";

    private CpuSessionConfig() {
    }

    static ConfigProto get() {
        ConfigProto.Builder config = ConfigProto.newBuilder().putDeviceCount("GPU", 0).setAllowSoftPlacement(true);
        Integer inter = Integer.getInteger(INTER_OP_THREADS);
        Integer intra = Integer.getInteger(INTRA_OP_THREADS);
        if (inter != null) {
            config.setInterOpParallelismThreads(inter);
        }
        if (intra != null) {
            config.setIntraOpParallelismThreads(intra);
        }
        return config.build();
    }
}
