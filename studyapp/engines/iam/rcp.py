"""Resource control policies: which services they cover, and what a valid RCP statement is.

Source: the AWS Organizations User Guide, "Resource control policies (RCPs)" and "RCP
syntax", as current in 2025 (later than the offline IAM guide of 2023, which predates RCPs):
https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps.html
https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps_syntax.html

- "RCPs apply to the following AWS services": Amazon S3, AWS STS, AWS KMS, Amazon SQS and
  AWS Secrets Manager at launch (November 2024), then Amazon Cognito, Amazon CloudWatch Logs,
  Amazon DynamoDB, Amazon ECR and Amazon OpenSearch Serverless. A request to any other
  service is not limited by RCPs at all, neither by their Allow nor by their Deny.
- "RCPFullAWSAccess ... is automatically attached to the root, every OU, and every account
  in your organization when you enable RCPs", and it cannot be detached: a level never lacks
  an Allow, so RCPs only ever deny explicitly.
- Effect: "The effect of Allow is only supported for the RCPFullAWSAccess policy"; Principal
  must be ``"*"`` (use conditions such as aws:PrincipalOrgID to pick principals) and
  NotPrincipal is not supported.
"""

from __future__ import annotations

from collections.abc import Mapping

# Service prefixes (the part of an action before the colon). Cognito appears in the list as
# one service; both of its prefixes are covered here.
RCP_SERVICES = frozenset(
    {
        "s3",
        "sts",
        "kms",
        "sqs",
        "secretsmanager",
        "cognito-idp",
        "cognito-identity",
        "logs",
        "dynamodb",
        "ecr",
        "aoss",
    }
)

FULL_ACCESS_NAME = "RCPFullAWSAccess"


def applies_to(action_lower: str) -> bool:
    """Do RCPs limit this action (``service:Action``, lowercased)?"""
    return action_lower.partition(":")[0] in RCP_SERVICES


def _star(value: object) -> bool:
    return value == "*" or value == ["*"]


def is_full_access(statement: Mapping[str, object]) -> bool:
    """Is this the statement of RCPFullAWSAccess (Allow, Principal, Action, Resource all "*")?"""
    return (
        statement.get("Effect") == "Allow"
        and _star(statement.get("Principal"))
        and _star(statement.get("Action"))
        and _star(statement.get("Resource"))
        and "Condition" not in statement
    )


__all__ = ["FULL_ACCESS_NAME", "RCP_SERVICES", "applies_to", "is_full_access"]
