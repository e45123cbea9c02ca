"""A minimal exam guide for tests that build a content folder of their own."""

from pathlib import Path

MINIMAL_GUIDE = """## 1
title: Development
weight: 100
source: https://docs.aws.amazon.com/aws-certification/latest/userguide/developer-associate-02-domain1.html

### 1.1
title: Develop code
weight: 100
notes: {notes}

Skills in:
- Writing code.
"""


def write_guide(content_dir: Path, notes: str = "") -> Path:
    """Write `guide/exam.md` with one domain and one task linking the given notes slugs."""
    guide = content_dir / "guide"
    guide.mkdir(parents=True, exist_ok=True)
    (guide / "exam.md").write_text(MINIMAL_GUIDE.format(notes=notes), encoding="utf-8")
    return guide
