/**
 * The run: starting it, recording how each account ended (history, metrics, readiness), the
 * guard that withholds a suspiciously shrunk scan, run-once mode and its exit status, and the
 * guarantee that an Error fails an account instead of escaping the routes.
 */
package io.warpsentinel.scan;
