"""UpdateItem and update expressions, following the examples of
GUIDE + "Expressions.UpdateExpressions.html" on the ProductCatalog item 789."""

from __future__ import annotations

import pytest

from studyapp.engines.dynamodb import DynamoDB

from .support import call, create, error, item, ok

T = "ProductCatalog"
KEY = {"Id": {"N": "789"}}


@pytest.fixture
def catalog(engine: DynamoDB) -> DynamoDB:
    create(engine, T, pk=("Id", "N"))
    ok(
        engine,
        "PutItem",
        TableName=T,
        Item={
            "Id": {"N": "789"},
            "ProductCategory": {"S": "Home Improvement"},
            "Price": {"N": "52"},
            "InStock": {"BOOL": True},
            "Brand": {"S": "Acme"},
        },
    )
    return engine


def update(engine, expression, values=None, names=None, **extra):
    params = {"TableName": T, "Key": KEY, "UpdateExpression": expression, "ReturnValues": "ALL_NEW"}
    if values is not None:
        params["ExpressionAttributeValues"] = values
    if names is not None:
        params["ExpressionAttributeNames"] = names
    params.update(extra)
    return ok(engine, "UpdateItem", **params).get("Attributes")


def update_error(engine, expression, values=None, names=None) -> str:
    params = {"TableName": T, "Key": KEY, "UpdateExpression": expression}
    if values is not None:
        params["ExpressionAttributeValues"] = values
    if names is not None:
        params["ExpressionAttributeNames"] = names
    found = error(engine, "UpdateItem", **params)
    assert found["Code"] == "ValidationException"
    return found["Message"]


def test_set_modifies_attributes(catalog):
    # "Update the ProductCategory and Price attributes."
    new = update(
        catalog,
        "SET ProductCategory = :c, Price = :p",
        {":c": {"S": "Hardware"}, ":p": {"N": "60"}},
    )
    assert new["ProductCategory"] == {"S": "Hardware"} and new["Price"] == {"N": "60"}


def test_set_adds_lists_maps_and_list_elements(catalog):
    # "Add a new list and a new map." ... "SET RelatedItems[1] = :ri" ... "If the element
    # doesn't already exist, SET appends the new element at the end of the list."
    update(
        catalog,
        "SET RelatedItems = :ri, ProductReviews = :pr",
        {
            ":ri": {"L": [{"S": "Hammer"}]},
            ":pr": {"M": {"FiveStar": {"L": [{"S": "Best product ever!"}]}}},
        },
    )
    new = update(catalog, "SET RelatedItems[1] = :ri", {":ri": {"S": "Nails"}})
    assert new["RelatedItems"] == {"L": [{"S": "Hammer"}, {"S": "Nails"}]}
    new = update(
        catalog,
        "SET RelatedItems[10] = :a, RelatedItems[7] = :b",
        {":a": {"S": "A"}, ":b": {"S": "B"}},
    )
    # "If you add multiple elements in a single SET operation, the elements are sorted in order
    # by element number."
    assert [e["S"] for e in new["RelatedItems"]["L"]] == ["Hammer", "Nails", "B", "A"]


def test_set_adds_nested_map_attributes(catalog):
    # "SET #pr.#5star[1] = :r5, #pr.#3star = :r3"
    update(
        catalog, "SET ProductReviews = :pr", {":pr": {"M": {"FiveStar": {"L": [{"S": "Best"}]}}}}
    )
    new = update(
        catalog,
        "SET #pr.#5star[1] = :r5, #pr.#3star = :r3",
        {
            ":r5": {"S": "Very happy with my purchase"},
            ":r3": {"L": [{"S": "Just OK - not that great"}]},
        },
        {"#pr": "ProductReviews", "#5star": "FiveStar", "#3star": "ThreeStar"},
    )
    reviews = new["ProductReviews"]["M"]
    assert reviews["FiveStar"]["L"][1] == {"S": "Very happy with my purchase"}
    assert reviews["ThreeStar"] == {"L": [{"S": "Just OK - not that great"}]}


def test_set_can_add_and_subtract_numbers(catalog):
    # "SET Price = Price - :p" with :p = 15.
    assert update(catalog, "SET Price = Price - :p", {":p": {"N": "15"}})["Price"] == {"N": "37"}
    assert update(catalog, "SET Price = Price + :p", {":p": {"N": "0.5"}})["Price"] == {"N": "37.5"}


def test_list_append_at_either_end(catalog):
    # "SET #ri = list_append(#ri, :vals)" then "list_append(:vals, #ri)": "The resulting
    # RelatedItems attribute now contains five elements, in the following order: Chisel,
    # Hammer, Nails, Screwdriver, Hacksaw."
    update(catalog, "SET RelatedItems = :ri", {":ri": {"L": [{"S": "Hammer"}, {"S": "Nails"}]}})
    names = {"#ri": "RelatedItems"}
    update(
        catalog,
        "SET #ri = list_append(#ri, :vals)",
        {":vals": {"L": [{"S": "Screwdriver"}, {"S": "Hacksaw"}]}},
        names,
    )
    new = update(
        catalog, "SET #ri = list_append(:vals, #ri)", {":vals": {"L": [{"S": "Chisel"}]}}, names
    )
    assert [e["S"] for e in new["RelatedItems"]["L"]] == [
        "Chisel",
        "Hammer",
        "Nails",
        "Screwdriver",
        "Hacksaw",
    ]


def test_if_not_exists_prevents_overwrites(catalog):
    # "SET Price = if_not_exists(Price, :p)": "If Price already exists, nothing happens."
    assert update(catalog, "SET Price = if_not_exists(Price, :p)", {":p": {"N": "100"}})[
        "Price"
    ] == {"N": "52"}
    new = update(catalog, "SET Discount = if_not_exists(Discount, :p)", {":p": {"N": "100"}})
    assert new["Discount"] == {"N": "100"}


def test_remove_attributes_and_list_elements(catalog):
    # "REMOVE Brand, InStock, QuantityOnHand" ("If the attributes don't exist, nothing
    # happens."), then "REMOVE RelatedItems[1], RelatedItems[2]": "the remaining elements are
    # shifted".
    new = update(catalog, "REMOVE Brand, InStock, QuantityOnHand")
    assert set(new) == {"Id", "ProductCategory", "Price"}
    tools = ["Chisel", "Hammer", "Nails", "Screwdriver", "Hacksaw"]
    update(catalog, "SET RelatedItems = :ri", {":ri": {"L": [{"S": t} for t in tools]}})
    new = update(catalog, "REMOVE RelatedItems[1], RelatedItems[2]")
    assert [e["S"] for e in new["RelatedItems"]["L"]] == ["Chisel", "Screwdriver", "Hacksaw"]


def test_add_numbers_and_sets(catalog):
    # "Assume that the QuantityOnHand attribute does not exist. The following AWS CLI example
    # sets QuantityOnHand to 5." "Now that QuantityOnHand exists, you can rerun the example to
    # increment QuantityOnHand by 5 each time." Then ADD elements to the Color set.
    assert update(catalog, "ADD QuantityOnHand :q", {":q": {"N": "5"}})["QuantityOnHand"] == {
        "N": "5"
    }
    assert update(catalog, "ADD QuantityOnHand :q", {":q": {"N": "5"}})["QuantityOnHand"] == {
        "N": "10"
    }
    update(catalog, "ADD Color :c", {":c": {"SS": ["Orange", "Purple"]}})
    new = update(catalog, "ADD Color :c", {":c": {"SS": ["Yellow", "Green", "Blue", "Orange"]}})
    assert sorted(new["Color"]["SS"]) == ["Blue", "Green", "Orange", "Purple", "Yellow"]


def test_delete_removes_set_elements(catalog):
    # "DELETE Color :p" with :p = ["Yellow", "Purple"]; a set that becomes empty is removed.
    update(catalog, "ADD Color :c", {":c": {"SS": ["Yellow", "Purple", "Green"]}})
    new = update(catalog, "DELETE Color :p", {":p": {"SS": ["Yellow", "Purple"]}})
    assert new["Color"] == {"SS": ["Green"]}
    new = update(catalog, "DELETE Color :p", {":p": {"SS": ["Green"]}})
    assert "Color" not in new


def test_add_and_delete_only_take_numbers_and_sets(catalog):
    # "The ADD action supports only number and set data types." "The DELETE action supports
    # only Set data types."
    assert "Incorrect operand type" in update_error(catalog, "ADD Brand :s", {":s": {"S": "x"}})
    assert "Incorrect operand type" in update_error(catalog, "DELETE Price :n", {":n": {"N": "1"}})
    assert "incorrect data type" in update_error(catalog, "ADD Brand :n", {":n": {"N": "1"}})


def test_each_clause_once_and_paths_may_not_overlap(catalog):
    # "each action keyword can appear only once."
    assert 'The "SET" section can only be used once' in update_error(
        catalog, "SET a = :v SET b = :v", {":v": {"N": "1"}}
    )
    assert "Two document paths overlap" in update_error(
        catalog, "SET a = :v REMOVE a", {":v": {"N": "1"}}
    )


def test_key_attributes_cannot_be_updated(catalog):
    assert "Cannot update attribute Id. This attribute is part of the key" in update_error(
        catalog, "SET Id = :v", {":v": {"N": "1"}}
    )


def test_missing_operands_and_paths_are_errors(catalog):
    assert "refers to an attribute that does not exist" in update_error(
        catalog, "SET Price = Nothing + :v", {":v": {"N": "1"}}
    )
    assert "document path provided in the update expression is invalid" in update_error(
        catalog, "SET Nothing.deeper = :v", {":v": {"N": "1"}}
    )
    assert "Invalid function name; function: append" in update_error(
        catalog, "SET a = append(a, :v)", {":v": {"N": "1"}}
    )


def test_operands_are_read_before_the_update(catalog):
    # All SET operands come from the item as it was: swapping two attributes works.
    new = update(catalog, "SET Brand = ProductCategory, ProductCategory = Brand")
    assert new["Brand"] == {"S": "Home Improvement"} and new["ProductCategory"] == {"S": "Acme"}


def test_return_values(catalog):
    # API Reference, UpdateItem ReturnValues: ALL_OLD, UPDATED_OLD, ALL_NEW, UPDATED_NEW.
    common = {
        "TableName": T,
        "Key": KEY,
        "UpdateExpression": "SET Price = :p",
        "ExpressionAttributeValues": {":p": {"N": "1"}},
    }
    assert ok(catalog, "UpdateItem", **common, ReturnValues="UPDATED_OLD")["Attributes"] == {
        "Price": {"N": "52"}
    }
    assert ok(catalog, "UpdateItem", **common, ReturnValues="UPDATED_NEW")["Attributes"] == {
        "Price": {"N": "1"}
    }
    assert ok(catalog, "UpdateItem", **common, ReturnValues="ALL_OLD")["Attributes"]["Brand"] == {
        "S": "Acme"
    }
    assert ok(catalog, "UpdateItem", **common) == {}
    found = error(catalog, "PutItem", TableName=T, Item=KEY, ReturnValues="ALL_NEW")
    assert found["Message"] == "ReturnValues can only be ALL_OLD or NONE"


def test_update_creates_a_missing_item(engine):
    # API Reference, UpdateItem: "Edits an existing item's attributes, or adds a new item to the
    # table if it does not already exist."
    create(engine, T, pk=("Id", "N"))
    result = ok(
        engine,
        "UpdateItem",
        TableName=T,
        Key={"Id": {"N": "1"}},
        UpdateExpression="ADD Visits :one",
        ExpressionAttributeValues={":one": {"N": "1"}},
        ReturnValues="ALL_NEW",
    )
    assert result["Attributes"] == item(Id=1, Visits=1)


def test_optimistic_locking_with_a_version_attribute(catalog):
    # The version-number pattern: update only if the version read is still current.
    guarded = {
        "TableName": T,
        "Key": KEY,
        "UpdateExpression": "SET Price = :p, Version = :new",
        "ConditionExpression": "attribute_not_exists(Version) OR Version = :old",
    }
    ok(
        catalog,
        "UpdateItem",
        **guarded,
        ExpressionAttributeValues={":p": {"N": "1"}, ":new": {"N": "1"}, ":old": {"N": "0"}},
    )
    stale = call(
        catalog,
        "UpdateItem",
        **guarded,
        ExpressionAttributeValues={":p": {"N": "2"}, ":new": {"N": "1"}, ":old": {"N": "0"}},
    )
    assert stale["Error"]["Code"] == "ConditionalCheckFailedException"
    ok(
        catalog,
        "UpdateItem",
        **guarded,
        ExpressionAttributeValues={":p": {"N": "3"}, ":new": {"N": "2"}, ":old": {"N": "1"}},
    )
    assert ok(catalog, "GetItem", TableName=T, Key=KEY)["Item"]["Price"] == {"N": "3"}
