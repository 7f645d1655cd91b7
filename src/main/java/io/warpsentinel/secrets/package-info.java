/**
 * Keeping secrets and hostile text out of everything the process writes: the registry of every
 * configured secret (redacted by structure, a URL by its parts), the log encoder every line
 * passes through, and the one-line failure text (redacted, control characters escaped, bounded).
 * Depends on no other package of the project.
 */
package io.warpsentinel.secrets;
