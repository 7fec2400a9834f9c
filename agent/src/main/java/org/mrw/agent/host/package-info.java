/** Runtimes that exist only when the agent runs on this computer as the host device (DJL PyTorch). The only agent package that may use DJL. */
package org.mrw.agent.host;
