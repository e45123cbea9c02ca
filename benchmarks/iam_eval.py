"""IAM engine throughput: evaluations per second for one request against 5 policies.

Two identity policies, a bucket policy, a permissions boundary and an SCP: 40 statements in
all, several with conditions. Policies are parsed once and reused, as the simulator does.

    python benchmarks/iam_eval.py [SECONDS]
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from studyapp.engines.iam import PolicySet, Request, evaluate, parse_policy

V = "2012-10-17"
BUCKET = "arn:aws:s3:::examplebucket"


def _statements(prefix: str, count: int) -> list[dict]:
    services = ["ec2", "dynamodb", "sqs", "sns", "lambda", "kms", "logs", "cloudwatch"]
    return [
        {
            "Sid": f"{prefix}{i}",
            "Effect": "Allow",
            "Action": [
                f"{services[i % len(services)]}:Describe*",
                f"{services[i % len(services)]}:Get*",
            ],
            "Resource": f"arn:aws:{services[i % len(services)]}:*:111122223333:*",
        }
        for i in range(count)
    ]


def build() -> tuple[Request, PolicySet]:
    identity_a = {
        "Version": V,
        "Statement": [
            *_statements("A", 10),
            {
                "Sid": "ReadHome",
                "Effect": "Allow",
                "Action": ["s3:GetObject", "s3:PutObject"],
                "Resource": f"{BUCKET}/home/${{aws:username}}/*",
            },
            {
                "Sid": "ReadShared",
                "Effect": "Allow",
                "Action": "s3:Get*",
                "Resource": f"{BUCKET}/shared/*",
                "Condition": {"IpAddress": {"aws:SourceIp": ["203.0.113.0/24", "198.51.100.0/24"]}},
            },
            {
                "Sid": "TeamData",
                "Effect": "Allow",
                "Action": "s3:*",
                "Resource": f"{BUCKET}/teams/*",
                "Condition": {"StringEquals": {"aws:PrincipalTag/team": "${aws:username}"}},
            },
            {
                "Sid": "DenyInsecure",
                "Effect": "Deny",
                "Action": "s3:*",
                "Resource": "*",
                "Condition": {"Bool": {"aws:SecureTransport": "false"}},
            },
        ],
    }
    identity_b = {
        "Version": V,
        "Statement": [
            *_statements("B", 10),
            {"Sid": "DenyLogs", "Effect": "Deny", "Action": "s3:*", "Resource": f"{BUCKET}/*log*"},
            {
                "Sid": "DenyNoMfaDeletes",
                "Effect": "Deny",
                "Action": "s3:Delete*",
                "Resource": "*",
                "Condition": {"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}},
            },
            {
                "Sid": "TaggedOnly",
                "Effect": "Allow",
                "Action": "s3:PutObjectTagging",
                "Resource": "*",
                "Condition": {"ForAllValues:StringLike": {"aws:TagKeys": ["project*", "owner"]}},
            },
        ],
    }
    bucket = {
        "Version": V,
        "Statement": [
            {
                "Sid": "OrgOnly",
                "Effect": "Deny",
                "Principal": "*",
                "Action": "s3:*",
                "Resource": [BUCKET, f"{BUCKET}/*"],
                "Condition": {"StringNotEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}},
            },
            {
                "Sid": "Partner",
                "Effect": "Allow",
                "Principal": {"AWS": "444455556666"},
                "Action": "s3:GetObject",
                "Resource": f"{BUCKET}/partner/*",
            },
            *[
                {
                    "Sid": f"App{i}",
                    "Effect": "Allow",
                    "Principal": {"AWS": f"arn:aws:iam::111122223333:role/App{i}"},
                    "Action": ["s3:GetObject", "s3:ListBucket"],
                    "Resource": f"{BUCKET}/app{i}/*",
                }
                for i in range(4)
            ],
        ],
    }
    boundary = {
        "Version": V,
        "Statement": [
            {"Sid": "S3", "Effect": "Allow", "Action": "s3:*", "Resource": "*"},
            {
                "Sid": "Reads",
                "Effect": "Allow",
                "Action": ["ec2:Describe*", "logs:Get*"],
                "Resource": "*",
            },
            {"Sid": "NoIam", "Effect": "Deny", "Action": "iam:*", "Resource": "*"},
            {
                "Sid": "Region",
                "Effect": "Deny",
                "NotAction": ["iam:*", "sts:*"],
                "Resource": "*",
                "Condition": {
                    "StringNotEquals": {"aws:RequestedRegion": ["eu-west-1", "us-east-1"]}
                },
            },
        ],
    }
    scp = {
        "Version": V,
        "Statement": [
            {"Sid": "FullAWSAccess", "Effect": "Allow", "Action": "*", "Resource": "*"},
            {
                "Sid": "NoLeaving",
                "Effect": "Deny",
                "Action": "organizations:LeaveOrganization",
                "Resource": "*",
            },
            {
                "Sid": "NoRootKeys",
                "Effect": "Deny",
                "Action": "iam:CreateAccessKey",
                "Resource": "*",
                "Condition": {"StringLike": {"aws:PrincipalArn": "arn:aws:iam::*:root"}},
            },
        ],
    }
    docs = [identity_a, identity_b, bucket, boundary, scp]
    assert sum(len(d["Statement"]) for d in docs) == 40, sum(len(d["Statement"]) for d in docs)
    policies = PolicySet(
        identity=(parse_policy(identity_a), parse_policy(identity_b)),
        resource=parse_policy(bucket, "resource", "bucket"),
        boundary=parse_policy(boundary, "boundary"),
        scps=((parse_policy(scp, "scp"),),),
    )
    request = Request.build(
        "arn:aws:iam::111122223333:user/alice",
        "s3:GetObject",
        f"{BUCKET}/shared/report.csv",
        {
            "aws:SourceIp": "203.0.113.7",
            "aws:SecureTransport": "true",
            "aws:PrincipalOrgID": "o-a1b2c3d4e5",
            "aws:RequestedRegion": "eu-west-1",
            "aws:PrincipalTag/team": "alice",
            "aws:TagKeys": ["project", "owner"],
        },
        "111122223333",
    )
    return request, policies


def main() -> None:
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 2.0
    request, policies = build()
    result = evaluate(request, policies)
    assert result.decision == "Allow", result.trace
    count = 0
    start = time.perf_counter()
    deadline = start + seconds
    while time.perf_counter() < deadline:
        for _ in range(1000):
            evaluate(request, policies)
        count += 1000
    elapsed = time.perf_counter() - start
    print(
        f"iam: {count / elapsed:,.0f} evaluations/s "
        f"(1 request, 5 policies, 40 statements, decision {result.decision}, one core)"
    )


if __name__ == "__main__":
    main()
