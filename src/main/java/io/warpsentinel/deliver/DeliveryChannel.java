package io.warpsentinel.deliver;

/** A place a report is delivered to: e-mail, or one webhook target. */
public interface DeliveryChannel {

    /** Names the channel in logs, metrics, dead letters and the run's outcome; never holds a secret. */
    String channel();
}
