"""Query and Scan: key conditions, order, Limit, 1 MB pages, LastEvaluatedKey, parallel scans.

Sources: GUIDE + "Query.html", "Query.Pagination.html", "Scan.html"; API + "API_Query.html",
"API_Scan.html".
"""

from __future__ import annotations

import pytest

from studyapp.engines.dynamodb import DynamoDB

from .support import create, error, item, load, ok

T = "tbl"


@pytest.fixture
def table(engine: DynamoDB) -> DynamoDB:
    create(engine, T, sk=("sk", "N"), on_demand=True)
    return engine


def query(engine, condition, values, **extra):
    return ok(
        engine,
        "Query",
        TableName=T,
        KeyConditionExpression=condition,
        ExpressionAttributeValues={k: item(x=v)["x"] for k, v in values.items()},
        **extra,
    )


def sorts(result):
    return [int(entry["sk"]["N"]) for entry in result["Items"]]


def test_sort_key_conditions(table):
    # Query.html: the sort key condition is one of = < <= > >= BETWEEN begins_with.
    load(table, T, [item(pk="a", sk=n) for n in (-5, 1, 2, 10, 20)] + [item(pk="b", sk=3)])
    assert sorts(query(table, "pk = :p", {":p": "a"})) == [-5, 1, 2, 10, 20]
    assert sorts(query(table, "pk = :p AND sk = :s", {":p": "a", ":s": 10})) == [10]
    assert sorts(query(table, "pk = :p AND sk < :s", {":p": "a", ":s": 10})) == [-5, 1, 2]
    assert sorts(query(table, "pk = :p AND sk <= :s", {":p": "a", ":s": 10})) == [-5, 1, 2, 10]
    assert sorts(query(table, "pk = :p AND sk > :s", {":p": "a", ":s": 2})) == [10, 20]
    assert sorts(query(table, "pk = :p AND sk >= :s", {":p": "a", ":s": 2})) == [2, 10, 20]
    assert sorts(
        query(table, "pk = :p AND sk BETWEEN :l AND :h", {":p": "a", ":l": 1, ":h": 10})
    ) == [1, 2, 10]
    assert sorts(query(table, ":s < sk AND pk = :p", {":p": "a", ":s": 2})) == [10, 20]


def test_numbers_sort_numerically_and_strings_by_utf8_bytes(engine):
    # Query.html: "If the data type of the sort key is Number, the results are returned in
    # numeric order; otherwise, the results are returned in order of UTF-8 bytes."
    create(engine, T, sk=("sk", "S"), on_demand=True)
    words = ["b", "B", "a", "é", "Z", "ab", "😀", "ｚ"]
    load(engine, T, [item(pk="p", sk=w) for w in words])
    found = [e["sk"]["S"] for e in query(engine, "pk = :p", {":p": "p"})["Items"]]
    assert found == sorted(words, key=lambda w: w.encode("utf-8"))
    prefixed = query(engine, "pk = :p AND begins_with(sk, :b)", {":p": "p", ":b": "a"})
    assert [e["sk"]["S"] for e in prefixed["Items"]] == ["a", "ab"]


def test_scan_index_forward_false_reverses(table):
    # "By default, the sort order is ascending. To reverse the order, set the ScanIndexForward
    # parameter to false."
    load(table, T, [item(pk="a", sk=n) for n in range(5)])
    assert sorts(query(table, "pk = :p", {":p": "a"}, ScanIndexForward=False)) == [4, 3, 2, 1, 0]


@pytest.mark.parametrize(
    ("condition", "values", "message"),
    [
        ("sk = :s", {":s": 1}, "Query condition missed key schema element: pk"),
        ("pk > :p", {":p": "a"}, "Query key condition not supported"),
        (
            "pk = :p OR sk = :s",
            {":p": "a", ":s": 1},
            "Invalid operator used in KeyConditionExpression: OR",
        ),
        (
            "pk = :p AND sk <> :s",
            {":p": "a", ":s": 1},
            "Invalid operator used in KeyConditionExpression: <>",
        ),
        ("pk = :p AND colour = :s", {":p": "a", ":s": 1}, "Query key condition not supported"),
        (
            "pk = :p AND sk > :s AND sk < :s",
            {":p": "a", ":s": 1},
            "Conditions can be of length 1 or 2 only",
        ),
        ("pk = :p AND pk = :p", {":p": "a"}, "only contain one condition per key"),
        ("pk = :p", {":p": 1}, "Condition parameter type does not match schema type"),
        ("pk = :p AND begins_with(sk, :s)", {":p": "a", ":s": 1}, "begins_with"),
    ],
)
def test_invalid_key_conditions(table, condition, values, message):
    # Query.html: "You must specify the partition key name and value as an equality condition.
    # You cannot use a non-key attribute in a Key Condition Expression."
    found = error(
        table,
        "Query",
        TableName=T,
        KeyConditionExpression=condition,
        ExpressionAttributeValues={k: item(x=v)["x"] for k, v in values.items()},
    )
    assert found["Code"] == "ValidationException"
    assert message in found["Message"]


def test_filter_cannot_use_key_attributes_in_query_but_can_in_scan(table):
    # Query.html: "A filter expression cannot contain partition key or sort key attributes."
    # Scan.html: "With Scan, you can specify any attributes in a filter expression—including
    # partition key and sort key attributes."
    load(table, T, [item(pk="a", sk=1)])
    found = error(
        table,
        "Query",
        TableName=T,
        KeyConditionExpression="pk = :p",
        FilterExpression="sk > :s",
        ExpressionAttributeValues={":p": {"S": "a"}, ":s": {"N": "0"}},
    )
    assert found["Message"] == (
        "Filter Expression can only contain non-primary key attributes: Primary key attribute: sk"
    )
    scanned = ok(
        table,
        "Scan",
        TableName=T,
        FilterExpression="sk > :s",
        ExpressionAttributeValues={":s": {"N": "0"}},
    )
    assert scanned["Count"] == 1


def test_limit_counts_items_evaluated_before_the_filter(table):
    # Query.html: "suppose that you add a filter expression to the Query. In this case,
    # DynamoDB reads up to six items, and then returns only those that match the filter
    # expression."
    load(table, T, [item(pk="a", sk=n, even=n % 2 == 0) for n in range(10)])
    result = query(table, "pk = :p", {":p": "a", ":t": True}, Limit=6, FilterExpression="even = :t")
    assert result["ScannedCount"] == 6 and result["Count"] == 3
    assert result["LastEvaluatedKey"] == item(pk="a", sk=5)


def test_pagination_with_last_evaluated_key(table):
    # Query.Pagination.html: "the LastEvaluatedKey from a Query response should be used as the
    # ExclusiveStartKey for the next Query request. If there is not a LastEvaluatedKey element
    # in a Query response, then you have retrieved the final page of results."
    load(table, T, [item(pk="a", sk=n) for n in range(10)])
    pages, start = [], None
    while True:
        extra = {"ExclusiveStartKey": start} if start else {}
        page = query(table, "pk = :p", {":p": "a"}, Limit=4, **extra)
        pages.append(sorts(page))
        start = page.get("LastEvaluatedKey")
        if start is None:
            break
    assert pages == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]
    backwards = query(
        table, "pk = :p", {":p": "a"}, ScanIndexForward=False, ExclusiveStartKey=item(pk="a", sk=5)
    )
    assert sorts(backwards) == [4, 3, 2, 1, 0]


def test_a_page_stops_at_1_mb_before_filtering(table):
    # Query.html: "A single Query operation can retrieve a maximum of 1 MB of data. This limit
    # applies before any FilterExpression or ProjectionExpression is applied to the results."
    big = "x" * (100 * 1024)
    load(table, T, [item(pk="a", sk=n, payload=big) for n in range(25)])
    first = query(table, "pk = :p", {":p": "a", ":no": "none"}, FilterExpression="payload = :no")
    assert first["Count"] == 0 and first["ScannedCount"] == 10
    assert first["LastEvaluatedKey"] == item(pk="a", sk=9)
    # "A Query operation can return an empty result set and a LastEvaluatedKey if all the items
    # read for the page of results are filtered out." (API Reference, Query)
    second = query(table, "pk = :p", {":p": "a"}, ExclusiveStartKey=first["LastEvaluatedKey"])
    assert sorts(second) == list(range(10, 20))
    third = query(table, "pk = :p", {":p": "a"}, ExclusiveStartKey=second["LastEvaluatedKey"])
    assert sorts(third) == list(range(20, 25)) and "LastEvaluatedKey" not in third


def test_exclusive_start_key_must_match_the_schema(table):
    found = error(
        table,
        "Query",
        TableName=T,
        KeyConditionExpression="pk = :p",
        ExpressionAttributeValues={":p": {"S": "a"}},
        ExclusiveStartKey={"pk": {"S": "a"}},
    )
    assert "The provided starting key is invalid" in found["Message"]


def test_scan_reads_every_item_once_in_pages(table):
    # Scan.html: "A Scan operation reads every item in a table"; pages of at most 1 MB / Limit.
    load(table, T, [item(pk=f"k{n}", sk=n % 3) for n in range(50)])
    seen, start = [], None
    while True:
        extra = {"ExclusiveStartKey": start} if start else {}
        page = ok(table, "Scan", TableName=T, Limit=7, **extra)
        seen += [(e["pk"]["S"], e["sk"]["N"]) for e in page["Items"]]
        start = page.get("LastEvaluatedKey")
        if not start:
            break
    assert sorted(seen) == sorted((f"k{n}", str(n % 3)) for n in range(50))
    assert len(set(seen)) == 50


def test_parallel_scan_segments_are_disjoint_and_cover_the_table(table):
    # Scan.html, "Parallel scan": "Each worker issues its own Scan request with ... Segment ...
    # TotalSegments". "The value for Segment must be greater than or equal to 0, and less than
    # the value provided for TotalSegments" (API Reference).
    load(table, T, [item(pk=f"k{n}", sk=0) for n in range(100)])
    parts = [
        {e["pk"]["S"] for e in ok(table, "Scan", TableName=T, Segment=s, TotalSegments=4)["Items"]}
        for s in range(4)
    ]
    assert sum(len(p) for p in parts) == 100
    assert set().union(*parts) == {f"k{n}" for n in range(100)}
    assert all(part for part in parts)
    found = error(table, "Scan", TableName=T, Segment=4, TotalSegments=4)
    assert "must be less than parameter TotalSegments" in found["Message"]
    assert (
        "TotalSegments parameter is required"
        in error(table, "Scan", TableName=T, Segment=0)["Message"]
    )


def test_scan_costs_the_minimum_per_partition_touched(engine):
    # Scan.html: "Scan consumes a minimum read capacity unit (0.5 with default eventually
    # consistent, 1.0 with strongly consistent) for each partition involved in servicing the
    # request - this includes partitions which do not contain any items." An on-demand table
    # starts with 4 partitions in this model (throughput.py).
    create(engine, T, on_demand=True)
    empty = ok(engine, "Scan", TableName=T, ReturnConsumedCapacity="TOTAL")
    assert empty["Count"] == 0 and empty["ConsumedCapacity"]["CapacityUnits"] == 2.0
    strong = ok(engine, "Scan", TableName=T, ConsistentRead=True, ReturnConsumedCapacity="TOTAL")
    assert strong["ConsumedCapacity"]["CapacityUnits"] == 4.0


def test_query_of_a_missing_partition_key_costs_the_minimum(table):
    # API Reference, Query: "Queries that do not return results consume the minimum number of
    # read capacity units for that type of read operation."
    result = query(table, "pk = :p", {":p": "none"}, ReturnConsumedCapacity="TOTAL")
    assert result["Items"] == [] and result["ConsumedCapacity"]["CapacityUnits"] == 0.5


def test_select_and_projection(table):
    load(table, T, [item(pk="a", sk=1, colour="red", size=3)])
    counted = query(table, "pk = :p", {":p": "a"}, Select="COUNT")
    assert counted == {"Count": 1, "ScannedCount": 1}
    projected = query(table, "pk = :p", {":p": "a"}, ProjectionExpression="colour")
    assert projected["Items"] == [item(colour="red")]
    found = error(
        table,
        "Query",
        TableName=T,
        KeyConditionExpression="pk = :p",
        ExpressionAttributeValues={":p": {"S": "a"}},
        Select="ALL_ATTRIBUTES",
        ProjectionExpression="colour",
    )
    assert found["Code"] == "ValidationException"


def test_query_on_a_table_without_sort_key(engine):
    create(engine, T, on_demand=True)
    load(engine, T, [item(pk="a", v=1), item(pk="b", v=2)])
    result = ok(
        engine,
        "Query",
        TableName=T,
        KeyConditionExpression="pk = :p",
        ExpressionAttributeValues={":p": {"S": "b"}},
    )
    assert result["Items"] == [item(pk="b", v=2)]


def test_binary_keys_sort_bytewise(engine):
    # API Reference, Query: "If the data type of the sort key is Number, the results are
    # returned in numeric order; otherwise, the results are returned in order of UTF-8 bytes"
    # (for Binary, the raw bytes, unsigned). Binary values travel base64-encoded.
    import base64

    create(engine, T, pk=("pk", "B"), sk=("sk", "B"), on_demand=True)
    raw = [b"\x00", b"\xff", b"\x01\x02", b"\x01", b"a"]
    encoded = [base64.b64encode(value).decode() for value in raw]
    pk = base64.b64encode(b"partition").decode()
    load(engine, T, [{"pk": {"B": pk}, "sk": {"B": value}} for value in encoded])
    result = ok(
        engine,
        "Query",
        TableName=T,
        KeyConditionExpression="pk = :p AND begins_with(sk, :b)",
        ExpressionAttributeValues={
            ":p": {"B": pk},
            ":b": {"B": base64.b64encode(b"\x01").decode()},
        },
    )
    assert [base64.b64decode(e["sk"]["B"]) for e in result["Items"]] == [b"\x01", b"\x01\x02"]
    everything = ok(
        engine,
        "Query",
        TableName=T,
        KeyConditionExpression="pk = :p",
        ExpressionAttributeValues={":p": {"B": pk}},
    )
    assert [base64.b64decode(e["sk"]["B"]) for e in everything["Items"]] == sorted(raw)


def test_specific_attributes_needs_a_projection(table):
    found = error(
        table,
        "Query",
        TableName=T,
        KeyConditionExpression="pk = :p",
        ExpressionAttributeValues={":p": {"S": "a"}},
        Select="SPECIFIC_ATTRIBUTES",
    )
    assert found["Code"] == "ValidationException"
