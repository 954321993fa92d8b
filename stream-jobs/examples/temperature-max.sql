-- A custom indicator in Flink SQL: the hottest GOOD temperature reading per device and minute,
-- kept as an Iceberg table of the lakehouse.
--   ironlake jobs submit --sql stream-jobs/examples/temperature-max.sql --kafka 127.0.0.1:9092
-- `telemetry` (the telemetry.v1 topic, one row per point, with a watermark on ts) and the catalog
-- `ironlake` (the lakehouse) are registered before this script runs.

CREATE TABLE IF NOT EXISTS ironlake.ironlake.temperature_max_1m (
  site STRING,
  line STRING,
  device STRING,
  window_start TIMESTAMP(6),
  window_end TIMESTAMP(6),
  max_temperature_c DOUBLE,
  readings BIGINT
);

INSERT INTO ironlake.ironlake.temperature_max_1m
SELECT site, line, device, window_start, window_end,
       MAX(`value`) AS max_temperature_c,
       COUNT(*) AS readings
FROM TABLE(TUMBLE(TABLE telemetry, DESCRIPTOR(ts), INTERVAL '1' MINUTE))
WHERE tag = 'temperature_c' AND quality = 'GOOD'
GROUP BY site, line, device, window_start, window_end;
