"""Topic pages link to the simulator presets that show them (the presets' "teaches" lists)."""

import json
from pathlib import Path

import pytest
from django.urls import reverse

from studyapp.authoring.blocks import ContentError
from studyapp.authoring.loader import collect, load_content
from studyapp.notes.models import SimulatorPreset, Topic
from tests.authoring.support import write_guide

pytestmark = pytest.mark.django_db


def test_each_preset_that_teaches_a_topic_is_linked_from_it():
    links = {
        (link.topic.slug, link.simulator, link.name)
        for link in SimulatorPreset.objects.select_related("topic")
    }
    assert ("sqs-message-visibility-timeout", "sqs", "visibility-too-short") in links
    assert ("sqs-message-visibility-timeout", "sqs", "visibility-heartbeat") in links
    assert ("kinesis-data-stream", "kinesis", "split-hot-shard") in links
    assert ("iam-policies", "iam", "explicit-deny-wins") in links
    assert ("permisos", "iam", "explicit-deny-wins") in links
    # Every preset file of the four simulators that names topics gives at least one link.
    content = Path(__file__).resolve().parents[2] / "content" / "scenarios"
    teaching = {
        (path.parent.name, path.stem)
        for folder in ("sqs", "kinesis", "iam", "dynamodb")
        for path in (content / folder).glob("*.json")
        if json.loads(path.read_text(encoding="utf-8")).get("teaches")
    }
    assert teaching == {(simulator, name) for _slug, simulator, name in links}


def test_topic_page_says_try_it_in_the_simulator(client):
    body = client.get(reverse("notes:topic", args=["sqs-message-visibility-timeout"])).content
    body = body.decode()
    assert "Try it in the simulator:" in body
    preset = SimulatorPreset.objects.get(
        topic__slug="sqs-message-visibility-timeout", name="visibility-too-short"
    )
    assert f'href="/sims/sqs/?preset=visibility-too-short">{preset.title}</a>' in body


def test_a_topic_no_preset_teaches_has_no_simulator_link(client):
    topic = Topic.objects.active().filter(presets__isnull=True, kind=Topic.Kind.NOTES).first()
    body = client.get(topic.get_absolute_url()).content.decode()
    assert "Try it in the simulator" not in body


@pytest.mark.parametrize(
    ("simulator", "name", "select"),
    [
        ("sqs", "visibility-too-short", "sqs-preset-name"),
        ("kinesis", "split-hot-shard", "preset-name"),
        ("iam", "explicit-deny-wins", "iam-preset"),
    ],
)
def test_the_simulator_page_preselects_the_linked_preset(client, learner, simulator, name, select):
    client.force_login(learner)
    body = client.get(reverse(f"sims:{simulator}"), {"preset": name}).content.decode()
    picker = body[body.index(f'id="{select}"') :]
    picker = picker[: picker.index("</select>")]
    options = picker.split('value="')[1:]
    selected = [option.split('"')[0] for option in options if "selected" in option.split(">")[0]]
    assert selected == [name]


def _content(tmp_path: Path, teaches) -> Path:
    write_guide(tmp_path)
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "n.md").write_text("# Top\n## Queues\ntext\n", encoding="utf-8")
    folder = tmp_path / "scenarios" / "sqs"
    folder.mkdir(parents=True)
    (folder / "one.json").write_text(
        json.dumps({"title": "One", "teaches": teaches, "steps": []}, indent=2), encoding="utf-8"
    )
    return tmp_path


@pytest.mark.parametrize(
    ("teaches", "message"),
    [
        (["nowhere"], r"one\.json:3: unknown topic slug 'nowhere' in teaches"),
        ("queues", r'one\.json:3: "teaches" is a list of topic slugs'),
    ],
)
def test_teaches_errors_name_file_and_line(tmp_path, teaches, message):
    with pytest.raises(ContentError, match=message):
        collect(_content(tmp_path, teaches))


def test_links_follow_the_presets_and_loading_twice_writes_nothing(tmp_path):
    content = _content(tmp_path, ["queues"])
    load_content(content)
    assert list(SimulatorPreset.objects.values_list("topic__slug", "name", "title")) == [
        ("queues", "one", "One")
    ]
    assert "simulator preset links written" not in load_content(content).counts
    (content / "scenarios" / "sqs" / "one.json").write_text(
        json.dumps({"title": "One", "teaches": ["top"], "steps": []}), encoding="utf-8"
    )
    load_content(content)
    assert list(SimulatorPreset.objects.values_list("topic__slug", "name")) == [("top", "one")]
