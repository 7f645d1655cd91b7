/**
 * The model every step shares: a registration as the API sent it, its verdict (reason, change
 * since the last complete scan), the run it is judged in, and the reading order of findings.
 * Depends on no step.
 */
package io.warpsentinel.finding;
