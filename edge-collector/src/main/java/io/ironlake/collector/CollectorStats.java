package io.ironlake.collector;

/**
 * Counters of a running collector, since it started.
 *
 * @param pointsRead points read from all sources (each got a sequence number)
 * @param pointsSent points Kafka acknowledged
 * @param deadLetters inputs refused and handed to the dead-letter topic
 * @param sendErrors records (points or dead letters) Kafka did not take
 */
public record CollectorStats(long pointsRead, long pointsSent, long deadLetters, long sendErrors) {}
