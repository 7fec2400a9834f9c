/** The runtime interface and the runtimes that run on both a phone and the host (TFLite). */
package org.mrw.agent.runtime;
