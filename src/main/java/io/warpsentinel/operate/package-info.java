/**
 * What an operator reads off the service: the warp_sentinel_* metrics (and their push to a
 * Pushgateway at the end of a run-once scan), the readiness check, the run history.
 */
package io.warpsentinel.operate;
