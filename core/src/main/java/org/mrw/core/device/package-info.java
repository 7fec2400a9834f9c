/**
 * Phones (and the host) as the workbench sees them: find and run an adb server, list devices with their
 * properties, deploy the companion agent ({@link org.mrw.core.device.AgentBundle}), start it with
 * {@code app_process}, and open byte streams to it over adb's {@code tcp:} service. Built on dadb, through
 * an adb server on an explicit port or straight to adbd over TCP. Every device name, serial and path is
 * validated and single-quoted before it reaches a device shell.
 */
package org.mrw.core.device;
