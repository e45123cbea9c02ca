"""Amazon DynamoDB simulator: tables, items, expressions, indexes, capacity, TTL and streams
on a virtual clock (standard library only).

    engine = DynamoDB()
    engine.apply({"Action": "CreateTable", "TableName": "t", ...})   # AWS request shape
    engine.apply({"Action": "PutItem", "TableName": "t", "Item": {...}})
    engine.call("GetItem", {"TableName": "t", "Key": {...}})          # raises DynamoDBError
    engine.stream_records("t")                                        # the table's stream
    state = engine.to_dict()                                          # plain JSON
    engine = DynamoDB.from_dict(state)
    head, parts = engine.to_parts()        # the same state in increments: a head, one part per
    head, changed = engine.to_parts(changed=True)  # item; then only what changed since
    engine = DynamoDB.from_parts(head, parts)
    result, reads = engine.apply_traced(step)   # and the items a Query or Scan read
    engine.usage(), engine.totals()             # units consumed per table; what it stores
    table_view(engine, "t")                     # a table by partition, for a page
    table_schemas(engine)                       # every table's keys and indexes, for forms
    preview(engine, {"Action": "PutItem", ...}) # size and cost of a write, before it is made

The throughput model (partitions, burst, throttling) is described in ``throughput.py``.
"""

from .errors import DynamoDBError
from .preview import preview
from .scenario import engine_for, load_scenario, resolve_references, run_scenario, run_steps
from .service import ACTIONS, SIMULATOR_ACTIONS, DynamoDB
from .values import check_item, item_size
from .view import table_schemas, table_view

__all__ = [
    "ACTIONS",
    "SIMULATOR_ACTIONS",
    "DynamoDB",
    "DynamoDBError",
    "check_item",
    "engine_for",
    "item_size",
    "load_scenario",
    "preview",
    "resolve_references",
    "run_scenario",
    "run_steps",
    "table_schemas",
    "table_view",
]
