/**
 * How every file is created: owner-only permissions (sentinel.file-permissions), never through a
 * planted symbolic link, text as UTF-8 that replaces what it cannot encode.
 */
package io.warpsentinel.files;
