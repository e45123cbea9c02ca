"""Documented quotas of Kinesis Data Streams in provisioned mode (service-sizes-and-limits and
the API Reference; where they changed, the current API Reference)."""

MIB = 1024 * 1024

# Per shard and per whole second of the virtual clock.
SHARD_WRITE_BYTES_PER_SECOND = MIB
SHARD_WRITE_RECORDS_PER_SECOND = 1_000
SHARD_READ_BYTES_PER_SECOND = 2 * MIB
SHARD_READ_CALLS_PER_SECOND = 5
# API_GetShardIterator: "five transactions per second per account per open shard".
SHARD_ITERATOR_CALLS_PER_SECOND = 5

# Data blob plus partition key: the default maximum record size. The current API Reference
# makes it a stream setting, MaxRecordSizeInKiB from 1,024 to 10,240 KiB, and gives the Data
# member a maximum of 10 MiB; the Developer Guide (large-records): "The default maximum
# record size for existing, and newly created streams is set to 1 MiB."
MAX_RECORD_BYTES = MIB
MAX_DATA_BYTES = 10 * MIB
MAX_PARTITION_KEY_CHARS = 256
PUT_RECORDS_MAX_RECORDS = 500
# API_PutRecords: "up to a limit of 10 MiB for the entire request, including partition keys".
PUT_RECORDS_MAX_BYTES = 10 * MIB

GET_RECORDS_MAX_LIMIT = 10_000
# API_GetRecords: "The maximum size of data that GetRecords can return is 10 MiB."
GET_RECORDS_MAX_BYTES = 10 * MIB
ITERATOR_LIFETIME_MS = 5 * 60 * 1000
SHARD_ITERATOR_MAX_CHARS = 512

RETENTION_DEFAULT_HOURS = 24
RETENTION_MIN_HOURS = 24
RETENTION_MAX_HOURS = 8_760

# Calls a second per account, from each action's API Reference page: CreateStream,
# DeleteStream, SplitShard and MergeShards "ha[ve] a limit of five transactions per second per
# account"; UpdateShardCount: "Make over 10 TPS. TPS over 10 will trigger the
# LimitExceededException". (Read-only actions, which pages call to draw themselves, are left
# unlimited.)
ACCOUNT_CALLS_PER_SECOND = {
    "CreateStream": 5,
    "DeleteStream": 5,
    "SplitShard": 5,
    "MergeShards": 5,
    "UpdateShardCount": 10,
}

# The default shard quota of an account in us-east-1; enough for any lesson.
MAX_OPEN_SHARDS = 500
# API_UpdateShardCount: by default no "more than ten times per rolling 24-hour period per
# stream".
MAX_SCALINGS_PER_DAY = 10
SCALING_WINDOW_MS = 24 * 3600 * 1000
