"""Documented quotas of Kinesis Data Streams in provisioned mode (service-sizes-and-limits)."""

MIB = 1024 * 1024

# Per shard and per whole second of the virtual clock.
SHARD_WRITE_BYTES_PER_SECOND = MIB
SHARD_WRITE_RECORDS_PER_SECOND = 1_000
SHARD_READ_BYTES_PER_SECOND = 2 * MIB
SHARD_READ_CALLS_PER_SECOND = 5

# Data blob plus partition key: the default maximum record size.
MAX_RECORD_BYTES = MIB
MAX_PARTITION_KEY_CHARS = 256
PUT_RECORDS_MAX_RECORDS = 500
PUT_RECORDS_MAX_BYTES = 5 * MIB

GET_RECORDS_MAX_LIMIT = 10_000
ITERATOR_LIFETIME_MS = 5 * 60 * 1000

RETENTION_DEFAULT_HOURS = 24
RETENTION_MIN_HOURS = 24
RETENTION_MAX_HOURS = 8_760

# The default shard quota of an account in us-east-1; enough for any lesson.
MAX_OPEN_SHARDS = 500
