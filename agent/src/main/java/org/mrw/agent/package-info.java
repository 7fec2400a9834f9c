/** The companion agent that runs models on a phone (or this computer, as the host device). Never depends on core. */
package org.mrw.agent;
