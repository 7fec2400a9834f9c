/** Progress reporting and cancellation shared by every long-running job (attacks, experiments, devices). */
package org.mrw.core.task;
