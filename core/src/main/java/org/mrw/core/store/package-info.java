/**
 * The workspace's durable results: runs, samples and one row per sample × attack × ε × target in
 * SQLite, committed per batch so that a killed run resumes exactly.
 */
package org.mrw.core.store;
