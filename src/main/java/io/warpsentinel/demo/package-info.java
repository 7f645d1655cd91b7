/**
 * The embedded demo: a simulated Cloudflare API serving generated fleets on loopback, so the
 * routes can be tried without an account.
 */
package io.warpsentinel.demo;
