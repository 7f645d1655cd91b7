/**
 * Settings declared once: {@code Setting} (key, kind, default, secret, meaning), the headings
 * they are grouped under, the schema start-up checks and redaction read, and the generator of
 * {@code application.properties} and {@code docs/configuration.md}. Each package declares its own
 * settings ({@code *Settings}) with these.
 */
package io.warpsentinel.settings;
