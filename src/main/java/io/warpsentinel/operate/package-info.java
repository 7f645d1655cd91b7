/**
 * What an operator reads off the service: the warp_sentinel_* metrics, the readiness check, the
 * run history.
 */
package io.warpsentinel.operate;
