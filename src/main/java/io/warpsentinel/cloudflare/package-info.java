/**
 * Fetching "List registrations": the cursor walk, each request's preparation, the page read
 * whole and checked before its records stream, and the retry bookkeeping of pages.
 */
package io.warpsentinel.cloudflare;
