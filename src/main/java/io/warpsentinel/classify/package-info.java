/**
 * The rule that decides what a report lists (stale, revoked, invalid, current), the stale-after
 * window, and the exclusions that keep registrations out of findings.
 */
package io.warpsentinel.classify;
