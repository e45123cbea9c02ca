"""The deck out (Anki .apkg, CSV) and learners' own cards in (CSV)."""

from __future__ import annotations

import csv
import hashlib
import io
import tempfile
from pathlib import Path

import genanki
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_safe

from studyapp import spreadsheet
from studyapp.http import HtmxHttpRequest
from studyapp.notes.models import Topic
from studyapp.notes.usermarkdown import render_user_markdown

from .forms import ImportForm
from .models import Card

CSV_COLUMNS = ["id", "topic", "kind", "front", "back", "tags"]
MAX_IMPORT_ROWS = 2000
MAX_FIELD_CHARS = 5000
# Stable ids so that re-importing an export into Anki updates the same deck and note type.
DECK_ID = 1_607_392_319
MODEL_ID = 1_091_735_104
ANKI_MODEL = genanki.Model(
    MODEL_ID,
    "studyapp card",
    fields=[{"name": "Front"}, {"name": "Back"}, {"name": "Topic"}],
    templates=[
        {
            "name": "Card",
            "qfmt": "{{Front}}",
            "afmt": '{{FrontSide}}<hr id="answer">{{Back}}<p class="topic">{{Topic}}</p>',
        }
    ],
    css=".card { font-family: sans-serif; font-size: 20px; }",
)


def _deck_rows(user):
    return Card.objects.visible_to(user).select_related("topic").order_by("order", "pk")


@login_required
@require_safe
def export_csv(request: HtmxHttpRequest) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="studyapp-cards.csv"'
    rows = (
        [card.key, card.topic.slug, card.kind, card.front_text, card.back_text, card.tags]
        for card in _deck_rows(request.user)
    )
    spreadsheet.write_rows(response, [CSV_COLUMNS, *rows])
    return response


def build_apkg(cards) -> bytes:
    deck = genanki.Deck(DECK_ID, "AWS Developer Associate (studyapp)")
    for card in cards:
        guid = genanki.guid_for(card.key)
        deck.add_note(
            genanki.Note(
                model=ANKI_MODEL,
                fields=[card.front_html, card.back_html, escape(card.topic.title)],
                guid=guid,
                tags=[tag for tag in card.tags.split() if tag],
            )
        )
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "deck.apkg"
        genanki.Package(deck).write_to_file(path)
        return path.read_bytes()


@login_required
@require_safe
def export_apkg(request: HtmxHttpRequest) -> HttpResponse:
    response = HttpResponse(
        build_apkg(_deck_rows(request.user)), content_type="application/octet-stream"
    )
    response["Content-Disposition"] = 'attachment; filename="studyapp-cards.apkg"'
    return response


class CardImportError(Exception):
    def __init__(self, line: int, message: str):
        super().__init__(f"line {line}: {message}")


def parse_import(text: str) -> list[dict]:
    reader = csv.DictReader(io.StringIO(text))
    if not reader.fieldnames or not {"front", "back"} <= {
        name.strip().lower() for name in reader.fieldnames
    }:
        raise CardImportError(1, _("the first row must name the columns, including front and back"))
    topics = dict(Topic.objects.active().values_list("slug", "pk"))
    rows = []
    for line, raw in enumerate(reader, start=2):
        if None in raw:  # DictReader puts the cells past the header's columns under None, a list
            raise CardImportError(line, _("this row has more cells than the first row has columns"))
        row = {(key or "").strip().lower(): (value or "").strip() for key, value in raw.items()}
        if any("\x00" in value for value in row.values()):  # PostgreSQL refuses NUL characters
            raise CardImportError(line, _("a cell holds a NUL character"))
        if len(rows) >= MAX_IMPORT_ROWS:
            raise CardImportError(line, _("too many rows (at most %(n)d)") % {"n": MAX_IMPORT_ROWS})
        if not row.get("front") or not row.get("back"):
            raise CardImportError(line, _("front and back must not be empty"))
        if len(row["front"]) > MAX_FIELD_CHARS or len(row["back"]) > MAX_FIELD_CHARS:
            raise CardImportError(
                line, _("a field is longer than %(n)d characters") % {"n": MAX_FIELD_CHARS}
            )
        slug = row.get("topic", "")
        if slug and slug not in topics:
            raise CardImportError(line, _("unknown topic %(slug)s") % {"slug": slug})
        rows.append(
            {
                "front": row["front"],
                "back": row["back"],
                "topic": topics.get(slug),
                "tags": row.get("tags", "")[:300],
            }
        )
    if not rows:
        raise CardImportError(2, _("the file has no cards"))
    return rows


@transaction.atomic
def import_cards(*, user, rows: list[dict]) -> int:
    default_topic = Topic.objects.active().order_by("order").first()
    created = 0
    for row in rows:
        digest = hashlib.sha256(f"{user.pk}\0{row['front']}\0{row['back']}".encode()).hexdigest()[
            :16
        ]
        key = f"u{user.pk}-{digest}"
        _card, was_created = Card.objects.get_or_create(
            key=key,
            defaults={
                "note_key": key,
                "kind": Card.Kind.BASIC,
                "topic_id": row["topic"] or default_topic.pk,
                "owner": user,
                "tags": row["tags"],
                "front_text": row["front"],
                "back_text": row["back"],
                "front_html": render_user_markdown(row["front"]),
                "back_html": render_user_markdown(row["back"]),
                "order": 1_000_000,
            },
        )
        created += was_created
    return created


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def import_csv(request: HtmxHttpRequest) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        error = None
        if form.is_valid():
            try:
                text = form.cleaned_data["file"].read().decode("utf-8-sig")
                created = import_cards(user=request.user, rows=parse_import(text))
            except UnicodeDecodeError:
                error = _("The file is not UTF-8 text.")
            except (CardImportError, csv.Error) as problem:
                error = str(problem)
            else:
                messages.success(
                    request,
                    ngettext("%(n)d card imported.", "%(n)d cards imported.", created)
                    % {"n": created},
                )
                return redirect("cards:settings")
        return render(request, "cards/import.html", {"form": form, "error": error}, status=400)
    return render(request, "cards/import.html", {"form": form})
