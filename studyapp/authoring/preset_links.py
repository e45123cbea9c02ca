"""Which simulator presets show each topic: the "teaches" list of content/scenarios/*/*.json.

The presets themselves are the simulators' (studyapp.sims.presets reads and checks them, and
authoring does not import sims); this only reads, at load time, which topic slugs each one
names, so that a topic page can link to the preset that shows it. A file that is not valid
JSON is left out here: the simulators' own check (validate_content) reports it.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from studyapp.notes.models import SimulatorPreset, Topic

from .blocks import ContentError

# The simulators with a page to open a preset in; each one's presets are in
# content/scenarios/<simulator>/<name>.json, as studyapp.sims.presets reads them.
SIMULATORS = ("sqs", "kinesis", "iam", "dynamodb")
PRESET_NAME = re.compile(r"[a-z0-9][a-z0-9-]{0,80}")


@dataclass(frozen=True)
class PresetLink:
    topic_slug: str
    simulator: str
    name: str
    title: str


def read_preset_links(content_dir: Path, topic_slugs: set[str]) -> list[PresetLink]:
    """Every (topic, preset) pair the presets' "teaches" lists name; ContentError (file:line)
    for a "teaches" that is not a list of known topic slugs."""
    links = []
    for simulator in SIMULATORS:
        folder = content_dir / "scenarios" / simulator
        for path in sorted(folder.glob("*.json")) if folder.is_dir() else ():
            if not PRESET_NAME.fullmatch(path.stem):
                continue  # not a preset name: the simulator does not list it either
            text = path.read_text(encoding="utf-8")
            try:
                data = json.loads(text)
            except ValueError:
                continue
            if not isinstance(data, dict) or "teaches" not in data:
                continue
            line = text[: max(0, text.find('"teaches"'))].count("\n") + 1
            teaches = data["teaches"]
            if not isinstance(teaches, list) or not all(isinstance(s, str) for s in teaches):
                raise ContentError(path, line, '"teaches" is a list of topic slugs')
            title = data.get("title") if isinstance(data.get("title"), str) else ""
            for slug in teaches:
                if slug not in topic_slugs:
                    raise ContentError(path, line, f"unknown topic slug {slug!r} in teaches")
                links.append(PresetLink(slug, simulator, path.stem, title or path.stem))
    return links


def store_preset_links(links: list[PresetLink], topics: dict[str, Topic]) -> int:
    """Make the database hold exactly these links; returns how many rows changed."""
    wanted = {
        (topics[link.topic_slug].pk, link.simulator, link.name): (link.title, order)
        for order, link in enumerate(links)
    }
    changed = 0
    for row in SimulatorPreset.objects.all():
        key = (row.topic_id, row.simulator, row.name)
        if key not in wanted:
            row.delete()
            changed += 1
            continue
        title, order = wanted.pop(key)
        if (row.title, row.order) != (title, order):
            row.title, row.order = title, order
            row.save(update_fields=["title", "order"])
            changed += 1
    SimulatorPreset.objects.bulk_create(
        SimulatorPreset(topic_id=topic_id, simulator=simulator, name=name, title=title, order=order)
        for (topic_id, simulator, name), (title, order) in wanted.items()
    )
    return changed + len(wanted)
