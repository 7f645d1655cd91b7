/**
 * The embedded demo: a simulated Cloudflare API (registrations and physical devices) serving
 * generated fleets on loopback, a day further on with each run, so the routes can be tried
 * without an account. The benchmark's doubles serve its day 0.
 */
package io.warpsentinel.demo;
