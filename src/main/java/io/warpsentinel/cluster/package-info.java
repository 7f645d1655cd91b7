/**
 * The scheduler of the scheduled scan: alone, Quartz in memory; as one of several instances,
 * Quartz's clustered JDBC job store on the PostgreSQL of the shared finding state, so each
 * scheduled scan runs on exactly one instance and another takes over when one dies; either way, a
 * firing held up too long is skipped. And the readiness check that says whether this instance is
 * in the cluster.
 */
package io.warpsentinel.cluster;
