"""The engines run where Django cannot even be imported (as on a machine without it)."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BLOCK_DJANGO = "import sys; sys.modules['django'] = None  # any 'import django' now fails\n"
RUN = BLOCK_DJANGO + (
    "import runpy; sys.argv = ['engine', *sys.argv[1:]]\n"
    "runpy.run_module(sys.argv.pop(1), run_name='__main__')\n"
)


@pytest.mark.parametrize(
    ("module", "command", "scenario"),
    [
        ("studyapp.engines.iam", "evaluate", "content/scenarios/iam/scp-blocks-region.json"),
        ("studyapp.engines.sqs", "run", "content/scenarios/sqs/poison-message-dlq.json"),
        ("studyapp.engines.kinesis", "run", "content/scenarios/kinesis/split-hot-shard.json"),
        ("studyapp.engines.dynamodb", "run", "content/scenarios/dynamodb/hot-partition.json"),
    ],
)
def test_engine_command_line_runs_without_django(module, command, scenario):
    result = subprocess.run(
        [sys.executable, "-c", RUN, module, command, str(ROOT / scenario)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)
