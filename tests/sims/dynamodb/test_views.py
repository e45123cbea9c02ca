"""The DynamoDB simulator page: each form is one engine request on the owner's stored state."""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from studyapp.sims import presets, state
from studyapp.sims.dynamodb import simulation
from studyapp.sims.dynamodb.simulation import DynamoDBSimulation
from studyapp.sims.models import SimulatorState

from ..conftest import stored

pytestmark = pytest.mark.django_db

PAGE = reverse("sims:dynamodb")
HTMX = {"HX-Request": "true"}
PRESETS = [p.name for p in presets.available(presets.DYNAMODB)]
LESSONS = [
    "hot-partition",
    "query-vs-scan-cost",
    "optimistic-locking",
    "strong-vs-eventual-reads",
    "sparse-gsi",
    "pagination-last-evaluated-key",
    "batch-write-backoff",
    "transaction-cancels",
]
TABLE = {
    "name": "Orders",
    "pk": "customer",
    "pk_type": "S",
    "sk": "orderId",
    "sk_type": "N",
    "mode": "PROVISIONED",
    "rcu": "5",
    "wcu": "5",
    "gsi_pk_type": "S",
    "gsi_sk_type": "S",
    "gsi_projection": "ALL",
}
ITEM = {"customer": {"S": "c1"}, "orderId": {"N": "1"}, "amount": {"N": "10"}}


def url(name: str) -> str:
    if name in ("preset", "reset"):
        return reverse(f"sims:dynamodb-{name}")
    return reverse("sims:dynamodb-action", args=[name])


def act(client, action, /, htmx=True, **data):
    return client.post(url(action), data, headers=HTMX if htmx else {})


def sim(client) -> DynamoDBSimulation:
    return stored(client, DynamoDBSimulation)


def items(client, table: str = "Orders") -> list[dict]:
    engine = sim(client).engine
    return [i for t in engine.to_dict()["tables"] if t["TableName"] == table for i in t["Items"]]


def put(client, item=ITEM, **extra):
    data = {"table": "Orders", "operation": "PutItem", "item": json.dumps(item), **extra}
    return act(client, "item", **data)


@pytest.fixture
def orders(client):
    """A client whose simulation has the table Orders (customer, orderId; 5 RCU, 5 WCU)."""
    assert act(client, "create-table", **TABLE).status_code == 200
    return client


def test_a_fresh_page_has_no_table_and_lists_every_preset(client):
    response = client.get(PAGE)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="ddb-sim"' in html
    assert "No table yet" in html
    for name in PRESETS:
        assert f'value="{name}"' in html
    assert "dict_values" not in html


def test_there_are_presets_for_each_exam_lesson_the_issue_names():
    assert set(LESSONS) <= set(PRESETS)
    assert len(PRESETS) >= 8


def test_the_index_lists_the_dynamodb_simulator(client):
    assert PAGE in client.get(reverse("sims:index")).content.decode()


@pytest.mark.parametrize("name", PRESETS)
def test_every_preset_loads_runs_and_renders(client, name):
    response = act(client, "preset", preset=name)
    assert response.status_code == 200
    assert f'data-preset="{name}"' in response.content.decode()
    assert act(client, "preset-rest").status_code == 200
    loaded = sim(client)
    assert loaded.preset["done"] == len(loaded.preset["steps"])
    html = client.get(PAGE).content.decode()
    assert "Steps run: {0} of {0}.".format(len(loaded.preset["steps"])) in html
    assert "Run next step" not in html
    assert "dict_values" not in html


def test_preset_steps_run_one_at_a_time_and_a_failure_is_a_logged_200(client):
    act(client, "preset", preset="optimistic-locking")
    for _ in range(5):
        assert act(client, "preset-step").status_code == 200
    response = act(client, "preset-step")  # client B's stale write
    assert response.status_code == 200
    html = response.content.decode()
    assert "ConditionalCheckFailedException" in html
    assert 'data-error="dynamodb"' in html
    assert sim(client).preset["done"] == 6


def test_the_hot_partition_is_drawn_hot_with_a_red_write_meter(client):
    act(client, "preset", preset="hot-partition")
    act(client, "preset-step")
    act(client, "preset-step")  # 1,500 writes a second, all to tenant-1
    html = client_page(client)
    assert html.count('data-heat="5"') == 1
    assert 'data-meter="write" data-throttled="500"' in html
    assert "hot: at its limit, requests throttle" in html


def test_create_put_get_and_the_log_tells_cost_and_size(orders):
    assert put(orders).status_code == 200
    assert items(orders) == [ITEM]
    response = act(
        orders,
        "item",
        table="Orders",
        operation="GetItem",
        item=json.dumps(ITEM),
        consistent="on",
    )
    html = response.content.decode()
    assert "GetItem on Orders: 1 RCU (strongly consistent), found the item" in html
    assert "PutItem on Orders: 1 WCU, item " in html


def test_update_with_a_version_condition(orders):
    put(orders, {**ITEM, "version": {"N": "1"}})
    update = {
        "table": "Orders",
        "operation": "UpdateItem",
        "item": json.dumps(ITEM),
        "update": "SET amount = :t, version = :new",
        "condition": "version = :expected",
        "values": json.dumps({":t": {"N": "20"}, ":new": {"N": "2"}, ":expected": {"N": "1"}}),
    }
    assert act(orders, "item", **update).status_code == 200
    assert items(orders)[0]["version"] == {"N": "2"}
    again = act(orders, "item", **update)  # the same expected version: now stale
    assert again.status_code == 200
    assert "ConditionalCheckFailedException" in again.content.decode()
    assert items(orders)[0]["amount"] == {"N": "20"}


def test_the_playground_explains_a_filtered_query(orders):
    for n in range(1, 4):
        put(orders, {**ITEM, "orderId": {"N": str(n)}, "amount": {"N": str(n * 10)}})
    response = act(
        orders,
        "read",
        table="Orders",
        operation="Query",
        key_condition="customer = :c",
        filter="amount > :t",
        values=json.dumps({":c": {"S": "c1"}, ":t": {"N": "15"}}),
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Query on Orders read 3 items (0.5 RCU), returned 2 after the filter." in html
    assert "The 1 it dropped were read and paid for all the same." in html
    assert html.count('data-kept="true"') == 2 and html.count('data-kept="false"') == 1


def test_next_page_follows_last_evaluated_key(orders):
    for n in range(1, 6):
        put(orders, {**ITEM, "orderId": {"N": str(n)}})
    act(orders, "read", table="Orders", operation="Scan", limit="2")
    assert "Next page (ExclusiveStartKey" in client_page(orders)
    act(orders, "next-page")
    act(orders, "next-page")
    assert sim(orders).last_read["last_key"] is None
    assert "Next page (ExclusiveStartKey" not in client_page(orders)
    response = act(orders, "next-page")
    assert response.status_code == 400
    assert "There is no next page" in response.content.decode()


def client_page(client) -> str:
    return client.get(PAGE).content.decode()


def test_preview_shows_size_and_cost_and_stores_nothing(orders):
    before = SimulatorState.objects.get().stamp
    data = {
        "table": "Orders",
        "operation": "PutItem",
        "item": json.dumps({**ITEM, "notes": {"S": "x" * 3000}}),
    }
    response = act(orders, "preview", **data)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.startswith('\n<div id="ddb-preview"') or 'id="ddb-preview"' in html[:200]
    assert "Cost: 3 WCU" in html
    assert "No item has this key yet: PutItem creates it." in html
    assert SimulatorState.objects.get().stamp == before
    assert items(orders) == []


def test_preview_without_javascript_renders_the_page_with_the_editor_as_typed(orders):
    data = {"table": "Orders", "operation": "PutItem", "item": json.dumps(ITEM)}
    response = act(orders, "preview", htmx=False, **data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Cost: 1 WCU" in html and "&quot;customer&quot;" in html


def test_preview_of_an_unfinished_item_says_what_is_wrong(orders):
    data = {"table": "Orders", "operation": "PutItem", "item": '{"customer": '}
    typing = act(orders, "preview", **data)
    assert typing.status_code == 200 and "is not valid JSON" in typing.content.decode()
    assert act(orders, "preview", htmx=False, **data).status_code == 400


def test_pick_fills_the_item_editor(orders):
    put(orders)
    key = json.dumps({"customer": {"S": "c1"}, "orderId": {"N": "1"}})
    assert act(orders, "pick", table="Orders", key=key).status_code == 200
    assert json.loads(sim(orders).ui["editor"]["item"]) == ITEM
    gone = act(orders, "pick", table="Orders", key=json.dumps({"customer": {"S": "zz"}}))
    assert gone.status_code == 400


@pytest.mark.parametrize(
    ("action", "data", "says"),
    [
        ("item", {"table": "Orders", "operation": "PutItem", "item": "{oops"}, "not valid JSON"),
        ("item", {"table": "Nope", "operation": "PutItem", "item": "{}"}, "Table"),
        ("read", {"table": "Orders", "operation": "Scan", "index": "X"}, "has no index X"),
        ("advance", {"seconds": "0"}, "Seconds to advance"),
        ("advance", {"seconds": "abc"}, "Seconds to advance"),
        ("create-table", {"name": "x"}, "Partition key"),
        ("capacity", {"table": "Orders", "mode": "FAST"}, "BillingMode"),
        ("workload", {"table": "Orders", "operation": "PutItem", "rate": "-1"}, "Requests"),
        ("pick", {"table": "Orders", "key": "[1]"}, "must be a JSON object"),
    ],
)
def test_bad_input_is_a_400_with_a_message_and_changes_nothing(orders, action, data, says):
    before = sim(orders).engine.to_dict()
    response = act(orders, action, **data)
    assert response.status_code == 400
    html = response.content.decode()
    assert 'data-error="invalid"' in html and says in html
    assert sim(orders).engine.to_dict() == before


def test_bad_input_without_javascript_renders_the_page_with_400(orders):
    response = act(orders, "item", htmx=False, table="Orders", operation="PutItem", item="[")
    assert response.status_code == 400
    assert "<html" in response.content.decode()


def test_the_api_refusing_a_request_is_a_200_event(orders):
    response = put(orders, {"customer": {"S": "c1"}})  # no sort key
    assert response.status_code == 200
    html = response.content.decode()
    assert "ValidationException" in html and 'data-error="dynamodb"' in html
    assert sim(orders).log.last["error"]["Code"] == "ValidationException"


def test_too_many_tables_is_a_400(client):
    for n in range(simulation.MAX_TABLES):
        assert act(client, "create-table", **{**TABLE, "name": f"table{n}"}).status_code == 200
    response = act(client, "create-table", **{**TABLE, "name": "seventh"})
    assert response.status_code == 400
    assert "the most it can hold" in response.content.decode()


def test_a_workload_drives_the_meters(orders):
    data = {"table": "Orders", "operation": "PutItem", "rate": "20", "seconds": "1", "keys": "50"}
    response = act(orders, "workload", **data)
    assert response.status_code == 200
    html = response.content.decode()
    # 5 WCU and no burst banked yet: 5 of the 20 writes pass
    assert "20 PutItem requests in 1 s, 5 succeeded (5 WCU), 15 throttled." in html
    assert 'data-meter="write" data-throttled="15"' in html


def test_capacity_update_and_delete_table(orders):
    assert act(orders, "capacity", table="Orders", mode="PAY_PER_REQUEST").status_code == 200
    assert "On-demand" in client_page(orders)
    assert act(orders, "delete-table", table="Orders").status_code == 200
    assert sim(orders).engine.to_dict()["tables"] == []


def test_the_clock_advances(orders):
    act(orders, "advance", seconds="3600")
    assert "01:00:00" in client_page(orders)


def test_post_without_csrf_token_is_forbidden():
    client = Client(enforce_csrf_checks=True)
    client.get(PAGE)
    for name, data in [
        ("advance", {"seconds": "1"}),
        ("preset", {"preset": "sparse-gsi"}),
        ("reset", {}),
        ("preview", {"table": "x", "operation": "GetItem", "item": "{}"}),
    ]:
        assert client.post(url(name), data).status_code == 403, name


def test_post_with_csrf_token_is_accepted():
    client = Client(enforce_csrf_checks=True)
    client.get(PAGE)
    token = client.cookies["csrftoken"].value
    response = client.post(url("advance"), {"seconds": "1"}, headers={"X-CSRFToken": token})
    assert response.status_code == 302


def test_every_form_on_the_page_carries_a_csrf_token(client):
    act(client, "preset", preset="pagination-last-evaluated-key")
    act(client, "preset-step")
    act(client, "preset-step")
    act(client, "preset-step")
    act(client, "preset-step")  # 1,500 writes a second, all to tenant-1
    html = client_page(client)
    forms = html.count('method="post"')
    assert forms > 10
    assert html.count('name="csrfmiddlewaretoken"') == forms


def test_plain_form_post_redirects_back_to_the_page(orders):
    response = act(orders, "advance", htmx=False, seconds="1")
    assert response.status_code == 302 and response["Location"] == PAGE


def test_htmx_answer_is_the_panel_and_the_status_line(orders):
    html = act(orders, "advance", seconds="1").content.decode()
    assert html.lstrip().startswith('<div id="ddb-panel"')
    assert 'id="ddb-live"' in html and 'hx-swap-oob="true"' in html
    assert "<html" not in html


def test_unknown_action_is_404_get_is_405_and_unknown_preset_is_404(client):
    assert act(client, "drop-everything").status_code == 404
    assert client.get(url("advance")).status_code == 405
    assert act(client, "preset", preset="../../etc/passwd").status_code == 404
    assert act(client, "preset", preset="no-such-preset").status_code == 404


def test_a_link_can_pick_a_preset_without_loading_it(client):
    html = client.get(PAGE + "?preset=sparse-gsi").content.decode()
    assert '<option value="sparse-gsi" selected>' in html
    assert not SimulatorState.objects.exists()
    html = client.get(PAGE + "?preset=../nope").content.decode()
    assert "selected>" not in html.split('id="ddb-preset-name"')[1].split("</select>")[0]


def test_reset_starts_afresh(orders):
    assert act(orders, "reset").status_code == 200
    assert sim(orders).engine.to_dict()["tables"] == []
    assert len(sim(orders).log) == 0


def test_two_clients_have_separate_simulations(orders):
    other = Client()
    assert "Table Orders" in client_page(orders)
    assert "Table Orders" not in other.get(PAGE).content.decode()
    act(other, "preset", preset="sparse-gsi")
    assert [t["TableName"] for t in sim(orders).engine.to_dict()["tables"]] == ["Orders"]


def test_a_stored_state_that_cannot_be_read_starts_afresh(orders):
    SimulatorState.objects.update(head=json.dumps({"version": 999}))
    state.forget()
    response = orders.get(PAGE)
    assert response.status_code == 200
    assert "No table yet" in response.content.decode()


def test_an_action_on_a_big_table_writes_what_it_changed_not_the_table(client):
    act(client, "preset", preset="hot-partition")
    act(client, "preset-rest")  # over 2,000 items, one stored part each
    row = SimulatorState.objects.get()
    assert row.parts.count() > 2000
    with CaptureQueriesContext(connection) as queries:
        assert act(client, "advance", seconds="1").status_code == 200
    assert len(queries) <= 15
    # the head and one log entry, not 2,000 items of 200 bytes
    assert sum(len(q["sql"]) for q in queries.captured_queries) < 40_000
