/** The workbench-agent wire protocol: constants, limits and (from Step 5) the frame codec. JDK only, Java 8 bytecode. */
package org.mrw.protocol;
