"""Documented DynamoDB quotas and unit sizes the simulator enforces.

Sources (Developer Guide): ServiceQuotas.html ("Service, account, and table quotas"),
ProvisionedThroughput.html, bp-partition-key-design.html, CapacityUnitCalculations.html.
"""

KB = 1024
MB = 1024 * KB
GB = 1024 * MB

# Items ("The maximum item size in DynamoDB is 400 KB"), nesting ("up to 32 levels deep").
MAX_ITEM_BYTES = 400 * KB
MAX_NESTING = 32
MAX_PARTITION_KEY_BYTES = 2048
MAX_SORT_KEY_BYTES = 1024
MAX_NUMBER_DIGITS = 38
MAX_NUMBER_EXPONENT = 125  # 9.9999999999999999999999999999999999999E+125
MIN_NUMBER_EXPONENT = -130  # 1E-130

# Capacity unit sizes: reads per 4 KB, writes per 1 KB.
READ_UNIT_BYTES = 4 * KB
WRITE_UNIT_BYTES = KB

# Query and Scan read at most 1 MB per page, before any filter.
PAGE_BYTES = MB

# Expressions ("The maximum length of any expression string is 4 KB", IN takes up to 100
# operands, an UpdateExpression up to 300 operators or functions, names/values up to 255 bytes).
MAX_EXPRESSION_BYTES = 4 * KB
MAX_IN_OPERANDS = 100
MAX_UPDATE_OPERATORS = 300
MAX_PLACEHOLDER_BYTES = 255
MAX_SUBSTITUTION_BYTES = 2 * MB
# Not documented: how deeply parentheses and NOT may nest. The simulator's own bound, so that
# hostile input gets a ValidationException instead of exhausting the parser.
MAX_EXPRESSION_NESTING = 64

# API limits.
BATCH_GET_MAX_KEYS = 100
BATCH_GET_MAX_BYTES = 16 * MB
BATCH_WRITE_MAX_REQUESTS = 25
TRANSACTION_MAX_ITEMS = 100
TRANSACTION_MAX_BYTES = 4 * MB
CLIENT_TOKEN_SECONDS = 10 * 60
LIST_TABLES_MAX = 100

# Tables and indexes.
MAX_TABLES = 2500
MAX_LSIS = 5
MAX_GSIS = 20
MAX_PROJECTED_ATTRIBUTES = 100
MIN_NAME_LENGTH = 3
MAX_NAME_LENGTH = 255
ITEM_COLLECTION_MAX_BYTES = 10 * GB  # tables with a local secondary index

# Throughput: per table (on-demand and provisioned), per partition, burst.
TABLE_MAX_UNITS = 40_000
PARTITION_READ_UNITS = 3_000
PARTITION_WRITE_UNITS = 1_000
PARTITION_BYTES = 10 * GB
BURST_SECONDS = 300
# A new on-demand table "instantly" sustains 4,000 writes and 12,000 reads a second
# (HowItWorks.ReadWriteCapacityMode.html, "Initial throughput for on-demand capacity mode").
ON_DEMAND_INITIAL_PARTITIONS = 4

# TTL: deletion "typically ... within 48 hours of expiration"; values five years or more in
# the past are ignored.
TTL_MAX_DELAY_SECONDS = 48 * 3600
TTL_MAX_AGE_SECONDS = 5 * 365 * 24 * 3600

# Streams keep records for 24 hours.
STREAM_RETENTION_SECONDS = 24 * 3600

# The simulator's own bound on the virtual clock: one Advance moves it at most ten years.
MAX_ADVANCE_SECONDS = 10 * 365 * 24 * 3600
