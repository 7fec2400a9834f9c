/**
 * The workspace's durable results: runs, samples and one row per sample × attack × ε × target in
 * SQLite, committed per batch so that a killed run resumes exactly ({@link org.mrw.core.store.SqliteResultsStore});
 * the adversarial images as NPY files beside it ({@link org.mrw.core.store.AdversarialFiles}); and the merge of
 * shard workspaces ({@link org.mrw.core.store.ResultsStore#merge}).
 */
package org.mrw.core.store;
