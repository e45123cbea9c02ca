"""IAM engine throughput, beside the npm package @cloud-copilot/iam-simulate on the same input.

Two workloads, each a list of scenario documents given as JSON text:

- ``reference``: the 30 worked cases of tests/engines/iam/data/iam-cases.json (small
  scenarios, one to three policies each);
- ``40 statements``: one request against two identity policies, a bucket policy, a
  permissions boundary and an SCP, 40 statements in all, several with conditions.

For each: our evaluations per second cold (``run(text)``: parse the JSON and every policy,
evaluate, nothing kept between requests), warm (``run(text, cache=PolicyCache())``: policies
seen before are not parsed again), and the peer's (``JSON.parse`` then ``runSimulation``),
all in the same run, with the ratio. Each is the best of three interleaved runs, in
evaluations per second of wall-clock time on one core (the best run is the one least
disturbed by whatever else the machine does); each round's own ratio follows. Decisions
are compared case by case first; a case the peer rejects is left out of both engines'
figures.

    python benchmarks/iam_eval.py [SECONDS]       # seconds per measurement, default 2
    python benchmarks/iam_eval.py --install-peer  # npm install the peer into benchmarks/.peer/

The peer lives in benchmarks/.peer/ (or $IAM_PEER_DIR), which holds a .gitignore of its own.
Without Node or without the package, the script says so and measures only this engine.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from studyapp.engines.iam import PolicyCache, run
from studyapp.engines.iam.rcp import is_full_access

PEER_PACKAGE = "@cloud-copilot/iam-simulate"
PEER_VERSION = "0.1.173"
PEER_DIR = Path(os.environ.get("IAM_PEER_DIR", ROOT / "benchmarks" / ".peer"))
CASES_FILE = ROOT / "tests" / "engines" / "iam" / "data" / "iam-cases.json"
V = "2012-10-17"
BUCKET = "arn:aws:s3:::examplebucket"
PEER_DECISIONS = {
    "Allowed": "Allow",
    "ExplicitlyDenied": "ExplicitDeny",
    "ImplicitlyDenied": "ImplicitDeny",
}

# The peer side: reads {"cases": [simulation JSON text...], "seconds": s} on standard input,
# prints {"decisions": [...], "count", "cpu", "wall"}.
PEER_JS = r"""
const peerDir = process.argv[2];
const { runSimulation } = require('module').createRequire(peerDir + '/package.json')(
  '@cloud-copilot/iam-simulate');
let input = '';
process.stdin.on('data', (d) => (input += d));
process.stdin.on('end', async () => {
  const { cases, seconds } = JSON.parse(input);
  const decisions = [];
  for (const text of cases) {
    const r = await runSimulation(JSON.parse(text), {});
    decisions.push(r.resultType === 'error' ? 'error:' + JSON.stringify(r.errors) : r.overallResult);
  }
  const usable = cases.filter((_, i) => !decisions[i].startsWith('error'));
  const warmup = process.hrtime.bigint() + BigInt(Math.round(Math.min(seconds, 1) * 1e9));
  while (usable.length && process.hrtime.bigint() < warmup) {
    for (const text of usable) await runSimulation(JSON.parse(text), {});
  }
  let count = 0;
  const cpu0 = process.cpuUsage();
  const wall0 = process.hrtime.bigint();
  const deadline = wall0 + BigInt(Math.round(seconds * 1e9));
  while (usable.length && process.hrtime.bigint() < deadline) {
    for (const text of usable) await runSimulation(JSON.parse(text), {});
    count += usable.length;
  }
  const cpu = process.cpuUsage(cpu0);
  const wall = Number(process.hrtime.bigint() - wall0) / 1e9;
  console.log(JSON.stringify({ decisions, count, cpu: (cpu.user + cpu.system) / 1e6, wall }));
});
"""


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


def forty_statements() -> dict:
    """The 40-statement scenario (the document the command line reads)."""
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
    assert sum(len(d["Statement"]) for d in docs) == 40
    return {
        "principal": "arn:aws:iam::111122223333:user/alice",
        "identity_policies": [identity_a, identity_b],
        "resource_policy": bucket,
        "boundary": boundary,
        "scps": [[scp]],
        "request": {
            "action": "s3:GetObject",
            "resource": f"{BUCKET}/shared/report.csv",
            "context": {
                "aws:SourceIp": "203.0.113.7",
                "aws:SecureTransport": "true",
                "aws:PrincipalOrgID": "o-a1b2c3d4e5",
                "aws:RequestedRegion": "eu-west-1",
                "aws:PrincipalTag/team": "alice",
                "aws:TagKeys": ["project", "owner"],
            },
        },
        "resource_account": "111122223333",
    }


def _context_text(value: object) -> str | list[str]:
    if isinstance(value, list):
        return [str(_context_text(v)) for v in value]
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def to_peer(doc: dict) -> dict:
    """The same scenario in iam-simulate's Simulation format."""
    request = doc["request"]
    resource = request["resource"]
    account = doc.get("resource_account")
    if not account:
        parts = resource.split(":")
        account = parts[4] if len(parts) > 5 and parts[4] else doc["principal"].split(":")[4]

    def levels(key: str, prefix: str) -> list[dict]:
        out = []
        for i, level in enumerate(doc.get(key) or []):
            policies = [level] if isinstance(level, dict) else level
            if key == "rcps":  # the peer adds RCPFullAWSAccess itself and rejects a copy
                policies = [
                    p for p in policies if not all(is_full_access(s) for s in p["Statement"])
                ]
            named = [{"name": f"{key}[{i}][{j}]", "policy": p} for j, p in enumerate(policies)]
            out.append({"orgIdentifier": f"{prefix}-{i}", "policies": named})
        return out

    sim: dict = {
        "identityPolicies": [
            {"name": f"identity_policies[{i}]", "policy": p}
            for i, p in enumerate(doc.get("identity_policies") or [])
        ],
        "serviceControlPolicies": levels("scps", "ou"),
        "resourceControlPolicies": levels("rcps", "ou"),
        "request": {
            "principal": doc["principal"],
            "action": request["action"],
            "resource": {"resource": resource, "accountId": account},
            "contextVariables": {
                k: _context_text(v) for k, v in (request.get("context") or {}).items()
            },
        },
    }
    if doc.get("resource_policy"):
        sim["resourcePolicy"] = doc["resource_policy"]
    if doc.get("boundary"):
        sim["permissionBoundaryPolicies"] = [{"name": "boundary", "policy": doc["boundary"]}]
    if doc.get("session_policy"):
        sim["sessionPolicy"] = doc["session_policy"]
    return sim


def peer_missing() -> str | None:
    if shutil.which("node") is None:
        return "Node.js is not installed"
    if not (PEER_DIR / "node_modules" / "@cloud-copilot" / "iam-simulate").is_dir():
        return f"{PEER_PACKAGE} is not installed in {PEER_DIR} (run with --install-peer)"
    return None


def install_peer() -> int:
    if shutil.which("npm") is None:
        print("npm is not installed")
        return 1
    PEER_DIR.mkdir(parents=True, exist_ok=True)
    (PEER_DIR / ".gitignore").write_text("*\n", encoding="utf-8")  # never committed
    package = PEER_DIR / "package.json"
    if not package.exists():
        package.write_text('{"private": true}\n', encoding="utf-8")
    cmd = ["npm", "install", "--no-audit", "--no-fund", f"{PEER_PACKAGE}@{PEER_VERSION}"]
    return subprocess.run(cmd, cwd=PEER_DIR, check=False).returncode


def run_peer(texts: list[str], seconds: float) -> dict:
    with tempfile.NamedTemporaryFile("w", suffix=".cjs", delete=False) as fh:
        fh.write(PEER_JS)
        script = fh.name
    try:
        proc = subprocess.run(
            ["node", script, str(PEER_DIR.resolve())],
            input=json.dumps({"cases": texts, "seconds": seconds}),
            capture_output=True,
            text=True,
            check=True,
            timeout=600,
        )
    finally:
        os.unlink(script)
    return json.loads(proc.stdout)


def measure(texts: list[str], seconds: float, cache: PolicyCache | None) -> dict:
    for text in texts:  # the warm run starts with every policy in the cache
        run(text, cache=cache)
    count = 0
    cpu0, wall0 = time.process_time(), time.perf_counter()
    deadline = wall0 + seconds
    while time.perf_counter() < deadline:
        for text in texts:
            run(text, cache=cache)
        count += len(texts)
    return {
        "count": count,
        "cpu": time.process_time() - cpu0,
        "wall": time.perf_counter() - wall0,
    }


def _rate(m: dict, clock: str) -> float:
    return m["count"] / m[clock] if m[clock] else 0.0


def _best(runs: list[dict]) -> dict:
    """The fastest of several runs: the one least disturbed by whatever else the machine does."""
    return max(runs, key=lambda m: m["count"] / m["wall"] if m["wall"] else 0.0)


def workload(
    title: str, docs: list[tuple[str, dict]], seconds: float, rounds: int, skip: str | None
) -> None:
    texts = [json.dumps(doc) for _, doc in docs]
    ours = [run(text).decision for text in texts]
    print(f"\n{title}: {len(docs)} scenario(s); best of {rounds} runs of {seconds:g} s each")
    usable = list(range(len(docs)))
    peer_texts: list[str] = []
    if skip is None:
        peer_texts = [json.dumps(to_peer(doc)) for _, doc in docs]
        probe = run_peer(peer_texts, 0)
        usable = []
        for i, (decision, found) in enumerate(zip(ours, probe["decisions"], strict=True)):
            name = docs[i][0]
            if found.startswith("error"):
                print(f"  peer cannot run {name}: {found[:160]}")
                continue
            if PEER_DECISIONS.get(found) != decision:
                print(f"  different decision on {name}: ours {decision}, iam-simulate {found}")
            usable.append(i)
        agree = sum(PEER_DECISIONS.get(probe["decisions"][i]) == ours[i] for i in usable)
        print(f"  decisions: {agree} of {len(usable)} shared cases identical")
    chosen = [texts[i] for i in usable]
    found: dict[str, list[dict]] = {"cold": [], "warm": [], "peer": []}
    for _ in range(rounds):
        found["cold"].append(measure(chosen, seconds, None))
        found["warm"].append(measure(chosen, seconds, PolicyCache()))
        if skip is None:
            found["peer"].append(run_peer([peer_texts[i] for i in usable], seconds))
    peer = _best(found["peer"]) if found["peer"] else None
    rows = [
        ("ours, cold (parse + evaluate)", _best(found["cold"])),
        ("ours, warm (policy cache)", _best(found["warm"])),
    ]
    if peer is not None:
        rows.append(("iam-simulate (parse + evaluate)", peer))
    for label, m in rows:
        line = f"  {label:32} {_rate(m, 'wall'):>10,.0f} evaluations/s"
        if peer is not None and m is not peer and _rate(peer, "wall"):
            line += f"   {_rate(m, 'wall') / _rate(peer, 'wall'):5.1f}x iam-simulate"
        print(line)
    if found["peer"]:
        # Each round's own ratio: how far the host's load moved the figures above.
        for side in ("cold", "warm"):
            each = [
                _rate(ours, "wall") / _rate(theirs, "wall")
                for ours, theirs in zip(found[side], found["peer"], strict=True)
                if _rate(theirs, "wall")
            ]
            print(f"  {side} ratio in each round: " + ", ".join(f"{r:.1f}x" for r in each))


def main(argv: list[str]) -> int:
    if "--install-peer" in argv:
        return install_peer()
    seconds = float(argv[0]) if argv else 2.0
    skip = peer_missing()
    if skip:
        print(f"peer skipped: {skip}")
    rounds = 3
    cases = json.loads(CASES_FILE.read_text(encoding="utf-8"))
    workload("reference cases", [(c["id"], c["input"]) for c in cases], seconds, rounds, skip)
    workload("40 statements", [("40-statements", forty_statements())], seconds, rounds, skip)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
