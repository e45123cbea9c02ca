"""Condition, filter and projection expressions: syntax, placeholders, reserved words, functions.

Sources: GUIDE + "Expressions.OperatorsAndFunctions.html", "Expressions.ExpressionAttributeNames
.html", "Expressions.ExpressionAttributeValues.html", "Expressions.ProjectionExpressions.html",
"ReservedWords.html", "ServiceQuotas.html" ("Expression parameters").
"""

from __future__ import annotations

import time

import pytest

from studyapp.engines.dynamodb import DynamoDB

from .support import call, create, error, item, ok

T = "tbl"
PRODUCT = {
    "Id": {"N": "123"},
    "Title": {"S": "Bicycle 123"},
    "Price": {"N": "500"},
    "Color": {"SS": ["Red", "Black"]},
    "InStock": {"BOOL": True},
    "QuantityOnHand": {"NULL": True},
    "RelatedItems": {"L": [{"N": "341"}, {"N": "472"}, {"N": "649"}]},
    "Pictures": {
        "M": {
            "FrontView": {"S": "http://example.com/products/123_front.jpg"},
            "RearView": {"S": "http://example.com/products/123_rear.jpg"},
        }
    },
    "ProductReviews": {
        "M": {
            "FiveStar": {"L": [{"S": "Excellent!"}, {"S": "Do yourself a favor"}]},
            "OneStar": {"L": [{"S": "Terrible product!"}]},
        }
    },
    "Comment": {"S": "This product sells out quickly during the summer"},
    "Safety.Warning": {"S": "Always wear a helmet"},
}


@pytest.fixture
def catalog(engine: DynamoDB) -> DynamoDB:
    create(engine, T, pk=("Id", "N"))
    ok(engine, "PutItem", TableName=T, Item=PRODUCT)
    return engine


def matches(engine, condition, values=None, names=None) -> bool:
    """Whether ``condition`` holds for the product (a Scan with it as the filter)."""
    params = {"TableName": T, "FilterExpression": condition}
    if values:
        params["ExpressionAttributeValues"] = {k: _v(v) for k, v in values.items()}
    if names:
        params["ExpressionAttributeNames"] = names
    return ok(engine, "Scan", **params)["Count"] == 1


def _v(value):
    return item(x=value)["x"]


def message(engine, condition, values=None, names=None) -> str:
    params = {"TableName": T, "FilterExpression": condition}
    if values:
        params["ExpressionAttributeValues"] = {k: _v(v) for k, v in values.items()}
    if names:
        params["ExpressionAttributeNames"] = names
    found = error(engine, "Scan", **params)
    assert found["Code"] == "ValidationException"
    return found["Message"]


def test_syntax_errors_name_the_token_and_where_it_is(catalog):
    # DynamoDB's ValidationException names the offending token and the text around it.
    assert message(catalog, "Price = ") == (
        'Invalid FilterExpression: Syntax error; token: "<EOF>", near: "= "'
    )
    assert message(catalog, "Price $ :p", {":p": 1}) == (
        'Invalid FilterExpression: Syntax error; token: "$", near: "Price $ :p"'
    )
    assert message(catalog, "Price = = :p", {":p": 1}) == (
        'Invalid FilterExpression: Syntax error; token: "=", near: "= = :p"'
    )


def test_reserved_words_need_expression_attribute_names(catalog):
    # Expressions.ExpressionAttributeNames.html: "the following AWS CLI example would fail
    # because COMMENT is a reserved word ... --projection-expression "Comment"". "This list is
    # not case-sensitive" (ReservedWords.html).
    found = error(
        catalog, "GetItem", TableName=T, Key={"Id": {"N": "123"}}, ProjectionExpression="Comment"
    )
    assert found["Message"] == (
        "Invalid ProjectionExpression: Attribute name is a reserved keyword; reserved keyword: Comment"
    )
    got = ok(
        catalog,
        "GetItem",
        TableName=T,
        Key={"Id": {"N": "123"}},
        ProjectionExpression="#c",
        ExpressionAttributeNames={"#c": "Comment"},
    )
    assert got["Item"] == {"Comment": PRODUCT["Comment"]}


def test_a_dot_in_an_expression_is_a_path_separator(catalog):
    # Expressions.ExpressionAttributeNames.html: "--projection-expression "Safety.Warning"
    # DynamoDB would return an empty result ... you must define an expression attribute name".
    key = {"Id": {"N": "123"}}
    assert ok(catalog, "GetItem", TableName=T, Key=key, ProjectionExpression="Safety.Warning") == {
        "Item": {}
    }
    got = ok(
        catalog,
        "GetItem",
        TableName=T,
        Key=key,
        ProjectionExpression="#sw",
        ExpressionAttributeNames={"#sw": "Safety.Warning"},
    )
    assert got["Item"] == {"Safety.Warning": PRODUCT["Safety.Warning"]}


def test_projection_keeps_nesting_like_the_guides_example(catalog):
    # Expressions.ProjectionExpressions.html: "Description, RelatedItems[0],
    # ProductReviews.FiveStar" returns the first list element and only the FiveStar reviews.
    got = ok(
        catalog,
        "GetItem",
        TableName=T,
        Key={"Id": {"N": "123"}},
        ProjectionExpression="Title, RelatedItems[0], ProductReviews.FiveStar",
    )
    assert got["Item"] == {
        "Title": PRODUCT["Title"],
        "RelatedItems": {"L": [{"N": "341"}]},
        "ProductReviews": {"M": {"FiveStar": PRODUCT["ProductReviews"]["M"]["FiveStar"]}},
    }


def test_placeholders_must_be_defined_and_used(catalog):
    # Expressions.ExpressionAttributeValues.html: "If you define an expression attribute value,
    # you must use it consistently throughout the entire expression."
    assert message(catalog, "Price = :p") == (
        "Invalid FilterExpression: An expression attribute value used in expression is not "
        "defined; attribute value: :p"
    )
    assert message(catalog, "#p = :p", {":p": 1}) == (
        "Invalid FilterExpression: An expression attribute name used in the document path is "
        "not defined; attribute name: #p"
    )
    assert message(catalog, "Price = :p", {":p": 1, ":q": 2}) == (
        "Value provided in ExpressionAttributeValues unused in expressions: keys: {:q}"
    )
    found = error(
        catalog,
        "GetItem",
        TableName=T,
        Key={"Id": {"N": "123"}},
        ExpressionAttributeNames={"#a": "a"},
    )
    assert (
        found["Message"] == "ExpressionAttributeNames can only be specified when using expressions"
    )


@pytest.mark.parametrize(
    ("condition", "values", "expected"),
    [
        ("Price = :v", {":v": 500}, True),
        ("Price = :v", {":v": "500"}, False),  # "the string "3" is not equal to the number 3"
        ("Price <> :v", {":v": 400}, True),
        ("Price < :v", {":v": 600}, True),
        ("Price <= :v", {":v": 500}, True),
        ("Price > :v", {":v": 500}, False),
        ("Price >= :v", {":v": 500}, True),
        ("Price BETWEEN :a AND :b", {":a": 100, ":b": 500}, True),
        ("Price IN (:a, :b)", {":a": 1, ":b": 500}, True),
        ("Absent = :v", {":v": 1}, False),
        ("Absent <> :v", {":v": 1}, True),
        ("Title < :v", {":v": "Bicycle 2"}, True),  # strings compare by UTF-8 bytes
        ("attribute_exists(Pictures.FrontView)", {}, True),
        ("attribute_not_exists(Pictures.SideView)", {}, True),
        ("attribute_type(Color, :t)", {":t": "SS"}, True),
        ("attribute_type(QuantityOnHand, :t)", {":t": "NULL"}, True),
        ("begins_with(Pictures.FrontView, :s)", {":s": "http://"}, True),
        ("contains(Color, :c)", {":c": "Black"}, True),
        ("contains(Title, :c)", {":c": "cycle"}, True),
        ("contains(RelatedItems, :c)", {":c": 472}, True),
        ("size(Title) = :n", {":n": 11}, True),
        ("size(Color) = :n", {":n": 2}, True),
        ("size(Pictures) = :n", {":n": 2}, True),
        ("size(RelatedItems) > :n", {":n": 2}, True),
        ("RelatedItems[2] = :n", {":n": 649}, True),
        ("RelatedItems[3] = :n", {":n": 649}, False),
        ("ProductReviews.OneStar[0] = :s", {":s": "Terrible product!"}, True),
        ("NOT Price = :v", {":v": 500}, False),
    ],
)
def test_comparisons_and_functions(catalog, condition, values, expected):
    assert matches(catalog, condition, values) is expected


def test_precedence_and_parentheses(catalog):
    # Expressions.OperatorsAndFunctions.html: "suppose that conditions a and b are true, and
    # that condition c is false. The following expression evaluates to true: a OR b AND c ...
    # (a OR b) AND c [evaluates to false]". Precedence: NOT, then AND, then OR.
    values = {":t": 500, ":f": 1}
    a = b = "Price = :t"
    c = "Price = :f"
    assert matches(catalog, f"{a} OR {b} AND {c}", values) is True
    assert matches(catalog, f"({a} OR {b}) AND {c}", values) is False
    assert matches(catalog, f"NOT {c} AND {a}", values) is True


def test_function_names_are_case_sensitive_and_checked(catalog):
    # "These function names are case sensitive."
    assert "Invalid function name; function: Begins_With" in message(
        catalog, "Begins_With(Title, :s)", {":s": "B"}
    )
    assert "Incorrect number of operands" in message(catalog, "begins_with(Title)")
    assert "requires a document path" in message(catalog, "attribute_exists(:v)", {":v": 1})
    assert "Incorrect operand type" in message(catalog, "begins_with(Title, :n)", {":n": 1})
    # "The path and the operand must be distinct; that is, contains (a, a) returns an error."
    assert "must be different" in message(catalog, "contains(Title, Title)")


def test_in_takes_at_most_100_operands(catalog):
    # ServiceQuotas.html: "The maximum number of operands for the IN comparator is 100."
    values = {f":v{n}": n for n in range(101)}
    hundred = ", ".join(f":v{n}" for n in range(100))
    assert (
        matches(catalog, f"Price IN ({hundred})", {k: values[k] for k in list(values)[:100]})
        is False
    )
    assert "too many operands for IN" in message(catalog, f"Price IN ({hundred}, :v100)", values)


def test_expressions_are_at_most_4_kb(catalog):
    # ServiceQuotas.html: "The maximum length of any expression string is 4 KB."
    long = " OR ".join(["Price = :v"] * 400)
    assert len(long) > 4096
    assert "Expression size has exceeded the maximum allowed size" in message(
        catalog, long, {":v": 1}
    )


def test_document_paths_are_at_most_32_deep(catalog):
    # Expressions.Attributes.html: "The maximum depth for a document path is 32."
    assert matches(catalog, "attribute_exists(" + ".".join(["a"] * 32) + ")") is False
    assert "too many nesting levels" in message(
        catalog, "attribute_exists(" + ".".join(["a"] * 33) + ")"
    )


@pytest.mark.parametrize(
    "hostile",
    [
        "(" * 3000 + "Price = :v" + ")" * 3000,
        "NOT " * 1000 + "Price = :v",
        "(" * 4000,
        "size(" * 1000 + "Price" + ")" * 1000,
        "Price IN (" + ":v," * 1300 + ":v)",
        "a." * 2000 + "b = :v",
        "\x00\ud800" * 100,
    ],
)
def test_hostile_expressions_fail_fast_with_a_validation_error(catalog, hostile):
    started = time.perf_counter()
    result = call(
        catalog,
        "Scan",
        TableName=T,
        FilterExpression=hostile,
        ExpressionAttributeValues={":v": {"N": "1"}},
    )
    assert result["Error"]["Code"] == "ValidationException"
    assert time.perf_counter() - started < 1.0


def test_condition_expression_guards_puts(engine):
    # Expressions.ConditionExpressions.html: "If the condition expression evaluates to false,
    # DynamoDB returns the following error message: The conditional request failed."
    create(engine, T, pk=("Id", "N"))
    put = {
        "TableName": T,
        "Item": item(Id=456, Price=650),
        "ConditionExpression": "attribute_not_exists(Id)",
    }
    ok(engine, "PutItem", **put)
    assert error(engine, "PutItem", **put) == {
        "Code": "ConditionalCheckFailedException",
        "Message": "The conditional request failed",
    }


def test_conditional_delete_from_the_guide(engine):
    # Expressions.ConditionExpressions.html, "Conditional deletes": the ProductCategory
    # comparison is true but the Price comparison is false, so the DeleteItem fails.
    create(engine, T, pk=("Id", "N"))
    ok(
        engine,
        "PutItem",
        TableName=T,
        Item=item(Id=456, Price=650, ProductCategory="Sporting Goods"),
    )
    result = call(
        engine,
        "DeleteItem",
        TableName=T,
        Key=item(Id=456),
        ConditionExpression="(ProductCategory IN (:cat1, :cat2)) and (Price between :lo and :hi)",
        ExpressionAttributeValues={
            ":cat1": {"S": "Sporting Goods"},
            ":cat2": {"S": "Gardening Supplies"},
            ":lo": {"N": "500"},
            ":hi": {"N": "600"},
        },
        ReturnValuesOnConditionCheckFailure="ALL_OLD",
    )
    assert result["Error"]["Code"] == "ConditionalCheckFailedException"
    assert result["Item"] == item(Id=456, Price=650, ProductCategory="Sporting Goods")
