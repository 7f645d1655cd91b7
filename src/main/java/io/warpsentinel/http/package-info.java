/**
 * Every HTTP exchange bounded: a deadline for the whole answer, a size limit, no retries under
 * the routes' own (HttpBounds); the HTTP settings; loopback and plain-http checks.
 */
package io.warpsentinel.http;
