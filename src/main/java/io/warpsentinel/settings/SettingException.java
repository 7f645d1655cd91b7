package io.warpsentinel.settings;

/** A setting that cannot work; its message names the setting and what to do. Start-up stops with exit status 2. */
public final class SettingException extends IllegalStateException {

    public SettingException(String message) {
        super(message);
    }
}
