/**
 * Several instances as one service: Quartz's clustered JDBC job store on the PostgreSQL of the
 * shared finding state, so each scheduled scan runs on exactly one instance and another takes
 * over when one dies; and the readiness check that says whether this instance is in the cluster.
 */
package io.warpsentinel.cluster;
