"""The IAM simulator page: presets, evaluation, inline validation, share links, bad input."""

import base64
import html
import json
import re
import zlib
from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse

from studyapp.sims import presets
from studyapp.sims.iam import editors, service
from studyapp.sims.iam.forms import ScenarioForm

pytestmark = pytest.mark.django_db

PAGE = reverse("sims:iam")
EVALUATE = reverse("sims:iam-action", args=["evaluate"])
VALIDATE = reverse("sims:iam-action", args=["validate"])
PRESET_NAMES = [p.name for p in presets.available(presets.IAM)]
HTMX = {"HTTP_HX_REQUEST": "true"}
ALICE = "arn:aws:iam::111122223333:user/alice"
GOOD_POLICY = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [
            {"Sid": "Read", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}
        ],
    },
    indent=2,
)


def request_fields(**policies):
    return {
        "principal": ALICE,
        "action": "s3:GetObject",
        "resource": "arn:aws:s3:::examplebucket/report.csv",
        **policies,
    }


def preset_data(name):
    return presets.load(presets.IAM, name).data


def preset_fields(name):
    return service.fields_from_scenario(preset_data(name))


def decision_of(response):
    found = re.search(rb'data-decision="(\w+)"', response.content)
    return found[1].decode() if found else None


def share_url_of(response):
    found = re.search(r'id="iam-share-url" value="([^"]+)"', response.content.decode())
    assert found, "no share link in the page"
    return html.unescape(found[1])


def test_the_page_offers_every_preset():
    response = Client().get(PAGE)
    assert response.status_code == 200
    assert len(PRESET_NAMES) >= 12
    for name in PRESET_NAMES:
        assert f'<option value="{name}"' in response.content.decode()
    assert b'<label for="id_identity_0">' in response.content
    assert b'aria-live="polite"' in response.content


@pytest.mark.parametrize("name", PRESET_NAMES)
def test_each_preset_evaluated_on_the_page_gives_its_documented_decision(name, client):
    expected = preset_data(name)["expected"]
    loaded = client.get(PAGE, {"preset": name})
    assert loaded.status_code == 200
    assert "principal" in preset_fields(name)
    assert html.escape(preset_fields(name)["principal"]).encode() in loaded.content

    response = client.post(EVALUATE, {**preset_fields(name), "preset": name})
    assert response.status_code == 200
    assert decision_of(response) == expected
    assert b"This is the decision AWS documents for this preset." in response.content

    fragment = client.post(EVALUATE, preset_fields(name), **HTMX)
    assert fragment.status_code == 200
    assert decision_of(fragment) == expected
    assert b"<html" not in fragment.content


def test_a_preset_link_with_run_shows_the_result(client):
    response = client.get(PAGE, {"preset": "explicit-deny-wins", "run": "1"})
    assert response.status_code == 200
    assert decision_of(response) == "ExplicitDeny"
    assert b"NoDeletes" in response.content


def test_loading_a_preset_with_htmx_returns_the_workspace_only(client):
    response = client.get(PAGE, {"preset": "scp-blocks-region"}, **HTMX)
    assert response.status_code == 200
    assert b'id="iam-workspace"' in response.content
    assert b"<html" not in response.content
    assert b"DenyAllOutsideEU" in response.content
    assert decision_of(response) is None  # loading fills the editors; Evaluate decides


@pytest.mark.parametrize("name", ["no-such-preset", "../settings", "explicit-deny-wins.json"])
def test_an_unknown_preset_is_not_found(name, client):
    assert client.get(PAGE, {"preset": name}).status_code == 404


def test_the_empty_choice_of_the_picker_shows_the_blank_page(client):
    response = client.get(PAGE, {"preset": ""})
    assert response.status_code == 200
    assert b"Load a preset or write policies" in response.content


def test_explicit_deny_lights_the_first_step_and_the_explicit_deny_box(client):
    response = client.post(EVALUATE, preset_fields("explicit-deny-wins"))
    page = response.content.decode()
    assert re.search(r'<g id="flow-explicit-deny" class="[^"]*\blit\b', page)
    assert re.search(r'<g id="flow-final-ExplicitDeny" class="[^"]*\blit\b', page)
    assert not re.search(r'<g id="flow-final-Allow" class="[^"]*\blit\b', page)
    assert not re.search(r'<g id="flow-scp" class="[^"]*\blit\b', page)
    assert re.search(r'id="edge-explicit-deny-stop" [^>]*class="flow-edge lit"', page)
    # the text alternative: the trace steps, in order
    assert re.findall(r'<li class="trace-step[^"]*" data-step="([\w-]+)"', page) == [
        "explicit-deny"
    ]
    assert "NoDeletes" in page


def test_an_allow_walks_every_step_down_to_the_allow_box(client):
    response = client.post(EVALUATE, preset_fields("identity-policy-allows"))
    page = response.content.decode()
    assert decision_of(response) == "Allow"
    steps = re.findall(r'<li class="trace-step[^"]*" data-step="([\w-]+)"', page)
    assert steps == [
        "explicit-deny",
        "rcp",
        "scp",
        "resource-policy",
        "identity",
        "boundary",
        "session",
    ]
    assert re.search(r'<g id="flow-final-Allow" class="[^"]*\blit\b', page)
    assert re.search(r'id="edge-session-allow" [^>]*class="flow-edge lit"', page)


def test_scp_that_does_not_allow_at_a_level_stops_at_the_scp_step(client):
    response = client.post(EVALUATE, preset_fields("scp-every-level-must-allow"))
    page = response.content.decode()
    assert decision_of(response) == "ImplicitDeny"
    assert re.search(r'<g id="flow-scp" class="[^"]*outcome-implicit-deny lit', page)
    assert re.search(r'<g id="flow-final-ImplicitDeny" class="[^"]*\blit\b', page)


def test_malformed_json_is_a_400_with_line_and_column(client):
    broken = '{\n  "Version": "2012-10-17",\n  "Statement": [\n    {"Effect": "Allow",,}\n  ]\n}'
    response = client.post(EVALUATE, request_fields(identity_0=broken))
    assert response.status_code == 400
    page = response.content.decode()
    assert "The scenario cannot be evaluated" in page
    assert "Identity-based policy 1" in page
    assert "line 4, column 24" in page
    assert "invalid JSON" in page
    # the editor keeps the learner's text
    assert html.escape(broken) in page


def test_grammar_error_is_a_400_naming_the_path(client):
    policy = {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Action": "s3:*", "Resource": "*"},
            {"Effect": "Allow", "Action": "s3:*", "Resource": "*", "Condition": {"StringLike": 3}},
        ],
    }
    response = client.post(EVALUATE, request_fields(identity_0=json.dumps(policy)), **HTMX)
    assert response.status_code == 400
    assert b"Statement[1].Condition.StringLike" in response.content


def test_grammar_error_in_a_list_of_scps_names_which_policy(client):
    level = [json.loads(GOOD_POLICY), {"Statement": [{"Effect": "Maybe"}]}]
    response = client.post(
        EVALUATE, request_fields(identity_0=GOOD_POLICY, scp_0=json.dumps(level))
    )
    assert response.status_code == 400
    assert b"[1].Statement[0].Effect" in response.content
    assert b"SCPs, level 1 (root)" in response.content


def test_an_oversized_policy_is_a_400(client):
    huge = json.dumps({"Version": "2012-10-17", "Statement": [], "Id": "x" * 25_000})
    response = client.post(EVALUATE, request_fields(identity_0=huge))
    assert response.status_code == 400
    assert b"too long" in response.content


def test_an_oversized_scenario_is_a_400(client):
    policy = json.dumps({"Version": "2012-10-17", "Statement": [], "Id": "x" * 19_000})
    fields = {f"identity_{i}": policy for i in range(7)}
    response = client.post(EVALUATE, request_fields(**fields))
    assert response.status_code == 400
    assert b"too large" in response.content


@pytest.mark.parametrize("field", ["identity_0", "scp_0", "context"])
def test_absurdly_deep_nesting_is_a_400_not_a_crash(field, client):
    response = client.post(EVALUATE, request_fields(**{field: "[" * 4_000}))
    assert response.status_code == 400
    assert b"nested too deeply" in response.content


def test_too_many_identity_policies_is_a_400(client):
    fields = {f"identity_{i}": GOOD_POLICY for i in range(editors.MAX_IDENTITY_POLICIES + 1)}
    response = client.post(EVALUATE, request_fields(**fields))
    assert response.status_code == 400
    assert b"at most 10" in response.content


def test_a_request_without_a_principal_is_a_400(client):
    response = client.post(EVALUATE, {**request_fields(identity_0=GOOD_POLICY), "principal": ""})
    assert response.status_code == 400
    assert b"Principal ARN" in response.content
    assert b"required" in response.content


def test_an_unknown_kind_of_principal_is_a_400(client):
    fields = {**request_fields(identity_0=GOOD_POLICY), "principal": "not-an-arn"}
    response = client.post(EVALUATE, fields)
    assert response.status_code == 400
    assert b'data-field="principal"' in response.content


def test_a_bad_resource_account_and_bad_context_are_400s(client):
    fields = request_fields(identity_0=GOOD_POLICY, resource_account="1234", context="[1, 2]")
    response = client.post(EVALUATE, fields)
    assert response.status_code == 400
    assert b'data-field="resource_account"' in response.content
    assert b'data-field="context"' in response.content


def test_context_keys_reach_the_conditions(client):
    fields = preset_fields("deny-without-mfa")
    assert decision_of(client.post(EVALUATE, fields)) == "ExplicitDeny"
    with_mfa = json.dumps({"aws:MultiFactorAuthPresent": True})
    assert decision_of(client.post(EVALUATE, {**fields, "context": with_mfa})) == "Allow"


def test_a_plain_post_without_javascript_renders_the_whole_page(client):
    response = client.post(EVALUATE, request_fields(identity_0=GOOD_POLICY))
    assert response.status_code == 200
    assert b"<html" in response.content
    assert decision_of(response) == "Allow"
    assert b"Read" in response.content  # the deciding statement's Sid


def test_the_add_button_shows_one_more_editor_and_keeps_the_text(client):
    response = client.post(EVALUATE, {**request_fields(identity_0=GOOD_POLICY), "add": "identity"})
    assert response.status_code == 200
    page = response.content.decode()
    assert 'name="identity_1"' in page
    assert html.escape(GOOD_POLICY) in page
    assert decision_of(response) is None

    fragment = client.post(EVALUATE, {"identity_0": GOOD_POLICY, "add": "scp"}, **HTMX)
    assert fragment.status_code == 200
    assert b'id="iam-editors"' in fragment.content
    assert b'name="scp_3"' in fragment.content
    assert b"<html" not in fragment.content


def test_validate_returns_the_error_fragment_with_line_and_column(client):
    text = '{"Version": "2012-10-17",\n "Statement": [}'
    response = client.post(VALIDATE, {"field": "identity_0", "identity_0": text}, **HTMX)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'class="iam-error"' in page
    assert "line 2, column 16" in page
    assert 'class="hll"' in page  # the line with the error is marked in the highlighted copy
    assert "<html" not in page


def test_validate_names_the_path_of_a_grammar_error(client):
    text = json.dumps({"Statement": {"Effect": "Allow", "Action": "s3:*", "Resource": 5}})
    response = client.post(VALIDATE, {"field": "resource_policy", "resource_policy": text})
    assert response.status_code == 200
    assert b"Statement.Resource" in response.content


def test_validate_shows_the_linter_warnings(client):
    text = json.dumps({"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]})
    response = client.post(VALIDATE, {"field": "identity_2", "identity_2": text}, **HTMX)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Valid policy, 1 statement." in page
    assert page.count("Warning") >= 2  # no Version; Allow * on *


def test_validate_checks_the_context_keys(client):
    bad = client.post(VALIDATE, {"field": "context", "context": '{"aws:SourceIp": }'})
    assert bad.status_code == 200
    assert b"line 1, column 18" in bad.content
    good = client.post(VALIDATE, {"field": "context", "context": '{"aws:SourceIp": "1.2.3.4"}'})
    assert b"Valid context keys." in good.content


@pytest.mark.parametrize("field", ["", "principal", "identity_99", "scps", "../x"])
def test_validate_rejects_an_unknown_field(field, client):
    assert client.post(VALIDATE, {"field": field, field: "{}"}).status_code == 400


def test_a_share_link_round_trips(client):
    fields = {
        **preset_fields("scp-blocks-region"),
        "context": '{"aws:RequestedRegion": "us-east-1"}',
    }
    evaluated = client.post(EVALUATE, fields, **HTMX)
    assert decision_of(evaluated) == "ExplicitDeny"
    url = share_url_of(evaluated)
    assert url.startswith("http://testserver/sims/iam/?s=")

    opened = client.get(url)
    assert opened.status_code == 200
    assert decision_of(opened) == "ExplicitDeny"
    page = opened.content.decode()
    assert "DenyAllOutsideEU" in page
    assert 'name="scp_1"' in page
    assert html.escape(ALICE) in page
    # the editors hold the same scenario, so the same link comes out again
    assert share_url_of(opened) == url


def test_a_share_link_keeps_a_scenario_with_every_kind_of_policy(client):
    fields = preset_fields("rcp-blocks-outside-org")
    url = share_url_of(client.post(EVALUATE, fields))
    reopened = client.get(url)
    assert decision_of(reopened) == preset_data("rcp-blocks-outside-org")["expected"]
    assert ScenarioForm(fields).scenario == service.from_share(url.split("s=")[1]).scenario


def _token(raw: bytes) -> str:
    return base64.urlsafe_b64encode(zlib.compress(raw)).decode().rstrip("=")


@pytest.mark.parametrize(
    "token",
    [
        "not base64 at all!",
        "AAAA",
        _token(b"{}")[:-3] + "xyz",  # tampered tail
        _token(b"{}")[:-6],  # truncated
        _token(b"not json"),
        _token(b"[1, 2, 3]"),
        _token(b'{"principal": 5}'),
        _token(b'{"identity_policies": "everything"}'),
        _token(b'{"evil": true}'),
        _token(b"\xff\xfe"),
        _token(b" " * 300_000),  # inflates past the cap
        _token(b'{"identity_policies": ' + b"[" * 50_000 + b"]" * 50_000 + b"}"),
        "A" * (service.MAX_SHARE_CHARS + 1),
    ],
)
def test_a_damaged_share_link_is_a_400_with_a_message(token, client):
    response = client.get(PAGE, {"s": token})
    assert response.status_code == 400
    assert b"data-notice" in response.content
    assert decision_of(response) is None


def test_a_tampered_share_link_with_a_bad_policy_is_a_400_with_the_problem(client):
    scenario = {
        "principal": ALICE,
        "identity_policies": [{"Statement": [{"Effect": "Allow", "Action": 7, "Resource": "*"}]}],
        "request": {"action": "s3:GetObject", "resource": "*"},
    }
    response = client.get(PAGE, {"s": _token(json.dumps(scenario).encode())})
    assert response.status_code == 400
    assert b"Statement[0].Action" in response.content


def test_posts_need_the_csrf_token():
    client = Client(enforce_csrf_checks=True)
    assert client.post(EVALUATE, request_fields(identity_0=GOOD_POLICY)).status_code == 403
    assert client.post(VALIDATE, {"field": "identity_0", "identity_0": "{}"}).status_code == 403


def test_the_csrf_token_from_the_page_lets_the_post_through():
    client = Client(enforce_csrf_checks=True)
    page = client.get(PAGE)
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page.content)[1].decode()
    fields = {**request_fields(identity_0=GOOD_POLICY), "csrfmiddlewaretoken": token}
    assert client.post(EVALUATE, fields).status_code == 200


def test_methods_are_checked(client):
    assert client.post(PAGE).status_code == 405
    assert client.get(EVALUATE).status_code == 405
    assert client.get(VALIDATE).status_code == 405


def test_a_scenario_too_large_for_a_link_says_so_instead(client):
    import secrets

    resources = [f"arn:aws:s3:::bucket/{secrets.token_hex(20)}" for _ in range(100)]
    policy = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": resources}]}  # fmt: skip
    fields = {**request_fields(identity_0=json.dumps(policy)), "resource": resources[0]}
    response = client.post(EVALUATE, fields)
    assert response.status_code == 200
    page = response.content.decode()
    assert decision_of(response) == "Allow"
    assert 'id="iam-share-url"' not in page
    assert "too large to share as a link" in page and "data-share-refused" in page


def test_every_link_the_page_makes_fits_a_request_line(client):
    for name in PRESET_NAMES:
        url = share_url_of(client.post(EVALUATE, preset_fields(name)))
        assert len(url) <= service.MAX_SHARE_URL
        assert client.get(url).status_code == 200


# Issue #14, item 3: a syntax error keeps the page and the editors, with each error beside
# its editor, by htmx or by a plain form post.

TRAILING_COMMA = (
    '{\n  "Version": "2012-10-17",\n  "Statement": [\n'
    '    {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"},\n  ]\n}'
)
MISSPELT_EFFECT = json.dumps(
    {"Version": "2012-10-17", "Statement": [{"Efect": "Allow", "Action": "*", "Resource": "*"}]}
)


class _Inner(HTMLParser):
    """Collects the inner HTML of the element with a given id."""

    VOID = frozenset({"area", "br", "col", "embed", "hr", "img", "input", "link", "meta", "wbr"})

    def __init__(self, wanted):
        super().__init__(convert_charrefs=False)
        self.wanted, self.depth, self.found, self.parts = wanted, 0, False, []

    def handle_starttag(self, tag, attrs):
        if self.depth:
            self.parts.append(self.get_starttag_text())
            self.depth += tag not in self.VOID
        elif dict(attrs).get("id") == self.wanted and not self.found:
            self.found, self.depth = True, 1

    def handle_endtag(self, tag):
        if self.depth:
            self.depth -= 1
            if self.depth:
                self.parts.append(f"</{tag}>")

    def handle_data(self, data):
        if self.depth:
            self.parts.append(data)

    def handle_entityref(self, name):
        self.handle_data(f"&{name};")

    def handle_charref(self, name):
        self.handle_data(f"&#{name};")


def check_of(page, editor_id):
    """The inner HTML of the check box beside an editor (or a request field)."""
    parser = _Inner(f"{editor_id}-check")
    parser.feed(page)
    assert parser.found, f"no check box for {editor_id}"
    return "".join(parser.parts)


@pytest.mark.parametrize(
    ("policy", "said"),
    [
        (TRAILING_COMMA, "line 5, column 3"),
        (MISSPELT_EFFECT, "Statement[0].Efect"),
    ],
    ids=["trailing-comma", "Efect"],
)
def test_a_plain_post_with_a_broken_policy_keeps_the_page_and_shows_the_error_beside_it(
    client, policy, said
):
    fields = request_fields(identity_0=GOOD_POLICY, identity_1=policy)
    response = client.post(EVALUATE, fields)
    assert response.status_code == 400
    page = response.content.decode()
    assert "<html" in page
    assert "css/sims-iam.css" in page  # styled, not a bare list
    assert html.escape(GOOD_POLICY) in page and html.escape(policy) in page  # nothing lost
    beside = check_of(page, "id_identity_1")
    assert 'class="iam-error"' in beside and said in beside
    assert 'class="iam-error"' not in check_of(page, "id_identity_0")
    assert "The scenario cannot be evaluated" in page


@pytest.mark.parametrize(
    ("policy", "said"),
    [
        (TRAILING_COMMA, "line 5, column 3"),
        (MISSPELT_EFFECT, "Statement[0].Efect"),
    ],
    ids=["trailing-comma", "Efect"],
)
def test_an_htmx_evaluation_with_a_broken_policy_puts_the_error_beside_its_editor(
    client, policy, said
):
    fields = request_fields(identity_0=GOOD_POLICY, resource_policy=policy)
    response = client.post(EVALUATE, fields, **HTMX)
    assert response.status_code == 400
    page = response.content.decode()
    assert "<html" not in page and "<textarea" not in page  # the editors stay as they are
    assert "The scenario cannot be evaluated" in page
    beside = re.search(
        r'<div id="id_resource_policy-check"[^>]*hx-swap-oob="innerHTML"[^>]*>(.*?)</div>',
        page,
        re.S,
    )
    assert beside and said in beside[1]
    # Every other editor's box is refreshed too, empty of errors.
    assert re.search(r'<div id="id_identity_0-check"[^>]*hx-swap-oob="innerHTML"', page)
    assert page.count('hx-swap-oob="innerHTML"') >= 8


def test_a_syntax_error_shows_where_it_is_after_evaluate(client):
    response = client.post(EVALUATE, request_fields(identity_0=TRAILING_COMMA), **HTMX)
    assert response.status_code == 400
    assert 'class="hll"' in response.content.decode()  # the line marked in the copy


def test_a_missing_request_field_is_named_beside_the_field(client):
    fields = request_fields(identity_0=GOOD_POLICY)
    fields["resource"] = ""
    response = client.post(EVALUATE, fields)
    assert response.status_code == 400
    assert "required" in check_of(response.content.decode(), "id_resource")
    htmx = client.post(EVALUATE, fields, **HTMX).content.decode()
    assert re.search(r'id="id_resource-check"[^>]*hx-swap-oob="innerHTML">[^<]*<span', htmx)


def test_the_fresh_page_says_nothing_beside_the_empty_fields(client):
    page = client.get(PAGE).content.decode()
    assert "required" not in check_of(page, "id_principal")
    assert check_of(page, "id_action").strip() == ""


def test_an_htmx_history_restore_gets_the_whole_page(client):
    response = client.get(
        PAGE,
        {"preset": PRESET_NAMES[0]},
        HTTP_HX_REQUEST="true",
        HTTP_HX_HISTORY_RESTORE_REQUEST="true",
    )
    assert response.status_code == 200
    assert b"<html" in response.content


# Issue #14, item 13: actions AWS does not have are flagged, from AWS's own catalogue.


def test_validate_warns_about_an_action_aws_does_not_have(client):
    text = json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {"Effect": "Allow", "Action": ["s3:GetObjekt", "s3:Get*"], "Resource": "*"}
            ],
        }
    )
    response = client.post(VALIDATE, {"field": "identity_0", "identity_0": text}, **HTMX)
    page = html.unescape(response.content.decode())
    assert "Valid policy, 1 statement." in page
    assert "Statement[0].Action[0]" in page
    assert "s3:GetObjekt is not an action of Amazon S3" in page
    assert "Did you mean s3:GetObject?" in page
    assert "Action[1]" not in page  # s3:Get* matches real actions


def test_an_unknown_request_action_is_flagged_beside_the_action_field(client):
    fields = request_fields(identity_0=GOOD_POLICY)
    fields["action"] = "s3:GetObjekt"
    response = client.post(EVALUATE, fields)
    assert response.status_code == 200
    assert decision_of(response) == "ImplicitDeny"
    beside = html.unescape(check_of(response.content.decode(), "id_action"))
    assert "s3:GetObjekt is not an action of Amazon S3" in beside
