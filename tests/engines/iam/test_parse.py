"""Policy grammar: what parses, what is an error (and where), what earns a warning.

Grammar: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html
Version: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_version.html
"""

from __future__ import annotations

import json

import pytest

from studyapp.engines.iam import PolicyError, parse_policy


def stmt(**extra):
    base = {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}
    base.update(extra)
    return {k: v for k, v in base.items() if v is not None}


def policy(*statements, version="2012-10-17"):
    doc = {"Statement": list(statements)}
    if version is not None:
        doc["Version"] = version
    return doc


def codes(p):
    return {w.code for w in p.warnings}


def error(doc, kind="identity"):
    with pytest.raises(PolicyError) as err:
        parse_policy(doc, kind)
    return err.value


def test_parses_text_and_dict_the_same():
    doc = policy(stmt(Sid="One"))
    a, b = parse_policy(json.dumps(doc)), parse_policy(doc)
    assert [s.sid for s in a.statements] == [s.sid for s in b.statements] == ["One"]


def test_statement_may_be_a_single_object():
    p = parse_policy({"Version": "2012-10-17", "Statement": stmt()})
    assert len(p.statements) == 1


def test_keeps_id_version_and_effect():
    p = parse_policy(
        {
            "Version": "2012-10-17",
            "Id": "General-report-permition",
            "Statement": [stmt(Effect="Deny")],
        }
    )
    assert (p.id, p.version, p.statements[0].effect) == (
        "General-report-permition",
        "2012-10-17",
        "Deny",
    )


def test_json_syntax_error_has_line_and_column():
    err = error('{\n  "Version": "2012-10-17",\n  "Statement": [,]\n}')
    assert (err.line, err.column) == (3, 17)
    assert err.message.startswith("invalid JSON")


def test_policy_must_be_an_object():
    assert error("[]").path == ""


def test_unknown_top_level_element_is_an_error():
    assert error({"Version": "2012-10-17", "Statment": []}).path == "Statment"


def test_missing_statement_is_an_error():
    assert error({"Version": "2012-10-17"}).path == "Statement"


def test_effect_must_be_allow_or_deny():
    err = error(policy(stmt(), stmt(Effect="allow")))
    assert err.path == "Statement[1].Effect"


def test_action_and_notaction_together_is_an_error():
    assert error(policy(stmt(NotAction="iam:*"))).path == "Statement[0].NotAction"


def test_statement_needs_an_action():
    assert error(policy(stmt(Action=None))).path == "Statement[0]"


def test_identity_statement_needs_a_resource():
    assert error(policy(stmt(Resource=None))).path == "Statement[0]"


def test_resource_policy_statement_may_omit_resource_but_needs_principal():
    parse_policy(policy(stmt(Resource=None, Principal={"AWS": "111122223333"})), "resource")
    assert error(policy(stmt()), "resource").path == "Statement[0]"


def test_action_needs_a_service_prefix():
    err = error(policy(stmt(Action=["s3:GetObject", "GetObject"])))
    assert err.path == "Statement[0].Action[1]"
    assert "s3:GetObject" in err.message


def test_empty_action_list_is_an_error():
    assert error(policy(stmt(Action=[]))).path == "Statement[0].Action"


def test_unknown_statement_element_is_an_error():
    assert error(policy(stmt(Conditions={}))).path == "Statement[0].Conditions"


def test_condition_error_path_points_into_the_operator():
    err = error(policy(stmt(), stmt(Condition={"StringLike": {"s3:prefix": {"bad": 1}}})))
    assert err.path == "Statement[1].Condition.StringLike.s3:prefix"


def test_single_statement_paths_have_no_index():
    err = error({"Version": "2012-10-17", "Statement": stmt(Effect="Maybe")})
    assert err.path == "Statement.Effect"


def test_error_to_dict_is_json():
    err = error(policy(stmt(Effect="Maybe")))
    assert err.to_dict() == {
        "error": err.message,
        "path": "Statement[0].Effect",
        "line": None,
        "column": None,
    }


def test_sid_must_be_a_string():
    assert error(policy(stmt(Sid=3))).path == "Statement[0].Sid"


def test_kind_must_be_known():
    with pytest.raises(ValueError):
        parse_policy(policy(stmt()), "group")


# --- warnings
def test_warns_allow_star_on_star():
    assert "allow-all" in codes(parse_policy(policy(stmt(Action="*", Resource="*"))))


def test_no_allow_all_warning_for_deny_or_narrow_policies():
    assert "allow-all" not in codes(parse_policy(policy(stmt(Effect="Deny", Action="*"))))
    assert "allow-all" not in codes(parse_policy(policy(stmt(Action="s3:*"))))


def test_warns_unknown_version():
    assert "version-unknown" in codes(parse_policy(policy(stmt(), version="2012-10-18")))


def test_warns_missing_version():
    assert "version-missing" in codes(parse_policy(policy(stmt(), version=None)))


def test_warns_principal_in_identity_policy():
    p = parse_policy(policy(stmt(Principal="*")))
    assert "principal-in-identity-policy" in codes(p)
    assert p.statements[0].principal is None


def test_warns_variables_in_2008_policy():
    p = parse_policy(
        policy(stmt(Resource="arn:aws:s3:::b/${aws:username}/*"), version="2008-10-17")
    )
    assert "variables-literal" in codes(p)


def test_warns_allow_with_notprincipal():
    p = parse_policy(policy(stmt(NotPrincipal={"AWS": "111122223333"})), "resource")
    assert "notprincipal-allow" in codes(p)


def test_warns_forallvalues_on_allow():
    p = parse_policy(policy(stmt(Condition={"ForAllValues:StringEquals": {"aws:TagKeys": "a"}})))
    assert "forallvalues-allow" in codes(p)


def test_warns_duplicate_sid():
    assert "duplicate-sid" in codes(parse_policy(policy(stmt(Sid="A"), stmt(Sid="A"))))


def test_warns_wildcard_inside_principal():
    p = parse_policy(
        policy(stmt(Principal={"AWS": "arn:aws:iam::111122223333:user/*"})), "resource"
    )
    assert "principal-wildcard" in codes(p)


def test_clean_policy_has_no_warnings():
    assert parse_policy(policy(stmt(Sid="ReadOne"))).warnings == []


def test_warning_to_dict():
    w = parse_policy(policy(stmt(Action="*"))).warnings[0]
    assert w.to_dict() == {"code": "allow-all", "message": w.message, "path": "Statement[0]"}


def test_notes_iam_read_only_example_parses_cleanly():
    # content/notes/aws-developer-notes.md, "Permisos"
    doc = {
        "Version": "2012-10-17",
        "Id": "General-report-permition",
        "Statement": [
            {
                "Effect": "Allow",
                "Action": [
                    "iam:GenerateCredentialReport",
                    "iam:GenerateServiceLastAccessedDetails",
                    "iam:Get*",
                    "iam:List*",
                    "iam:SimulateCustomPolicy",
                    "iam:SimulatePrincipalPolicy",
                ],
                "Resource": "*",
            }
        ],
    }
    p = parse_policy(doc)
    assert p.warnings == []
    assert p.statements[0].matches_action("iam:listusers")


def test_absurdly_deep_nesting_is_a_policy_error_not_a_crash():
    from studyapp.engines.iam import PolicyError, parse_policy

    with pytest.raises(PolicyError, match="nested too deeply"):
        parse_policy("[" * 100_000)
