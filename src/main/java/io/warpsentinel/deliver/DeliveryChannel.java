package io.warpsentinel.deliver;

/** A place a report is delivered to: e-mail, or one webhook target. */
public interface DeliveryChannel {

    /** Names the channel in logs, dead letters and the run's outcome; never holds a secret. */
    String channel();

    /** The route that delivers to this channel. */
    String route();
}
