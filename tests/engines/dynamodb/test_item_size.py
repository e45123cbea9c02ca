"""Item sizes and attribute values, as the Developer Guide documents them."""

from __future__ import annotations

import base64

import pytest

from studyapp.engines.dynamodb import check_item, item_size

from .support import code, create, error, item, ok


def size(**attributes):
    return check_item(item(**attributes))[1]


def test_two_string_attributes_make_23_bytes():
    # GUIDE + "ServiceQuotas.html": "consider an item with two attributes: one attribute named
    # "shirt-color" with value "R" and another attribute named "shirt-size" with value "M".
    # The total size of that item is 23 bytes."
    assert size(**{"shirt-color": "R", "shirt-size": "M"}) == 23


def test_strings_count_utf8_bytes_and_names_count():
    # GUIDE + "CapacityUnitCalculations.html": "The size of a string is (length of attribute
    # name) + (number of UTF-8-encoded bytes)."
    assert size(a="é") == 1 + 2
    assert size(a="日本") == 1 + 6
    assert size(name="😀") == 4 + 4


def test_numbers_count_one_byte_per_two_significant_digits_plus_one():
    # GUIDE + "CapacityUnitCalculations.html": "Leading and trailing zeroes are trimmed. The
    # size of a number is approximately (length of attribute name) + (1 byte per two
    # significant digits) + (1 byte)."
    assert size(n=12345) == 1 + 3 + 1
    assert size(n={"N": "1200"}) == 1 + 1 + 1  # "12"
    assert size(n={"N": "000.00120"}) == 1 + 1 + 1
    assert size(n={"N": "-123.45"}) == 1 + 3 + 1


def test_binary_counts_raw_bytes_not_base64():
    # GUIDE + "CapacityUnitCalculations.html": "the value's raw byte length is used for
    # calculating size."
    raw = base64.b64encode(bytes(10)).decode()
    assert size(b={"B": raw}) == 1 + 10


def test_null_and_boolean_are_one_byte():
    # GUIDE + "CapacityUnitCalculations.html": "The size of a null attribute or a Boolean
    # attribute is (length of attribute name) + (1 byte)."
    assert size(x={"NULL": True}) == 2
    assert size(x=True) == 2


def test_lists_and_maps_have_3_bytes_plus_1_per_element():
    # GUIDE + "CapacityUnitCalculations.html": "An attribute of type List or Map requires 3
    # bytes of overhead, regardless of its contents ... The size of an empty List or Map is
    # (length of attribute name) + (3 bytes). ... Each List or Map element also requires 1 byte
    # of overhead."
    assert size(l={"L": []}) == 1 + 3
    assert size(m={"M": {}}) == 1 + 3
    assert size(l={"L": [{"S": "ab"}, {"N": "1"}]}) == 1 + 3 + (2 + 1) + (2 + 1)
    assert size(m={"M": {"k": {"S": "ab"}}}) == 1 + 3 + (1 + 2 + 1)


def test_numbers_are_stored_in_normal_form():
    engine_item, _ = check_item({"a": {"N": "1.50"}, "b": {"N": "1E+2"}, "c": {"NS": ["1.0", "2"]}})
    assert engine_item == {"a": {"N": "1.5"}, "b": {"N": "100"}, "c": {"NS": ["1", "2"]}}


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ({"N": "1" * 39}, "38 significant digits"),
        ({"N": "1E+126"}, "Number overflow"),
        ({"N": "1E-131"}, "Number underflow"),
        ({"N": "abc"}, "numeric value"),
        ({"SS": []}, "may not be empty"),
        ({"SS": ["a", "a"]}, "contains duplicates"),
        ({"NS": ["1", "1.0"]}, "contains duplicates"),
        ({}, "exactly one of the supported datatypes"),
        ({"S": "a", "N": "1"}, "more than one datatypes"),
        ({"NULL": False}, "Null attribute value types must have the value of true"),
        ({"B": "not base64!"}, "base64"),
    ],
)
def test_invalid_values_are_validation_errors(engine, value, message):
    # GUIDE + "ServiceQuotas.html": "A Number can have up to 38 digits of precision ... Positive
    # range: 1E-130 to 9.9999999999999999999999999999999999999E+125"; "An attribute value
    # cannot be an empty Set"; a set's members are distinct.
    create(engine)
    found = error(engine, "PutItem", TableName="tbl", Item={"pk": {"S": "k"}, "v": value})
    assert found["Code"] == "ValidationException"
    assert message in found["Message"]


def test_items_up_to_400_kb():
    # GUIDE + "ServiceQuotas.html": "The maximum item size in DynamoDB is 400 KB, which includes
    # both attribute name binary length (UTF-8 length) and attribute value lengths".
    from studyapp.engines.dynamodb import DynamoDB

    engine = DynamoDB()
    create(engine)
    room = 400 * 1024 - len("pk") - 1 - len("data")
    ok(engine, "PutItem", TableName="tbl", Item=item(pk="k", data="x" * room))
    found = error(engine, "PutItem", TableName="tbl", Item=item(pk="k", data="x" * (room + 1)))
    assert found == {
        "Code": "ValidationException",
        "Message": "Item size has exceeded the maximum allowed size",
    }


def test_update_past_400_kb_is_refused(engine):
    create(engine)
    ok(engine, "PutItem", TableName="tbl", Item=item(pk="k", data="x" * 300_000))
    found = error(
        engine,
        "UpdateItem",
        TableName="tbl",
        Key=item(pk="k"),
        UpdateExpression="SET more = :v",
        ExpressionAttributeValues={":v": {"S": "y" * 200_000}},
    )
    assert "Item size to update has exceeded the maximum allowed size" in found["Message"]


def test_nesting_deeper_than_32_levels_is_refused(engine):
    # GUIDE + "ServiceQuotas.html": "DynamoDB supports nested attributes up to 32 levels deep."
    create(engine)
    deep = {"S": "leaf"}
    for _ in range(31):
        deep = {"M": {"m": deep}}
    ok(engine, "PutItem", TableName="tbl", Item={"pk": {"S": "k"}, "d": deep})
    found = error(engine, "PutItem", TableName="tbl", Item={"pk": {"S": "k"}, "d": {"L": [deep]}})
    assert "Nesting Levels have exceeded supported limits" in found["Message"]


def test_key_values_cannot_be_empty_and_have_size_limits(engine):
    # GUIDE + "ServiceQuotas.html": "The minimum length of a partition key value is 1 byte. The
    # maximum length is 2048 bytes." ... "The maximum length [of a sort key] is 1024 bytes."
    # "Empty String and Binary attribute values are allowed, if the attribute is not used as a
    # key attribute".
    create(engine, sk=("sk", "S"))
    assert (
        code(engine, "PutItem", TableName="tbl", Item=item(pk="", sk="a")) == "ValidationException"
    )
    ok(engine, "PutItem", TableName="tbl", Item=item(pk="p" * 2048, sk="s" * 1024, empty=""))
    assert (
        "maximum size limit"
        in error(engine, "PutItem", TableName="tbl", Item=item(pk="p" * 2049, sk="s"))["Message"]
    )
    assert (
        "maximum size limit"
        in error(engine, "PutItem", TableName="tbl", Item=item(pk="p", sk="s" * 1025))["Message"]
    )


def test_key_type_must_match_the_schema(engine):
    create(engine)
    found = error(engine, "PutItem", TableName="tbl", Item={"pk": {"N": "1"}})
    assert found["Message"] == (
        "One or more parameter values were invalid: Type mismatch for key pk expected: S actual: N"
    )
    found = error(engine, "PutItem", TableName="tbl", Item=item(other="x"))
    assert (
        found["Message"]
        == "One or more parameter values were invalid: Missing the key pk in the item"
    )


def test_item_size_of_stored_values_matches_validation():
    stored, size_checked = check_item(
        item(a="x", n=12.5, m={"M": {"l": {"L": [{"BOOL": True}, {"NULL": True}]}}})
    )
    assert item_size(stored) == size_checked
