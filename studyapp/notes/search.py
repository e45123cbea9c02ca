"""One search over the notes, the study guide, the corrections, the cards and the questions.

The index is a table of entries (`SearchEntry`) that `load_content` fills through
`index_replace`, plus the vocabulary of its words (`SearchTerm`). A query runs in a fixed
number of queries, whatever the size of the bank:

1. Each word of the query is widened to the vocabulary words spelled almost like it, so that
   "cloudwatch" also finds the notes' "CloudWath" and "visibilty" finds "visibility".
   PostgreSQL finds them with pg_trgm (a trigram GIN index); elsewhere the trigrams are rows
   of `SearchTrigram`. Either way a small edit distance then confirms each candidate.
2. The database ranks the entries that hold every word (one of its spellings): PostgreSQL
   with full-text search on a generated tsvector column, SQLite with FTS5 (bm25). An SQLite
   without FTS5 falls back to substring matching. When no entry holds every word, entries
   holding any of them are ranked instead.
3. At most `PER_KIND` entries of each kind come back; the words as typed, titles and the
   whole phrase add to their score; the best `MAX_RESULTS` get a highlighted snippet of what
   they may show (a question's stem, never its options or explanation; a card's front).
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections import Counter
from dataclasses import asdict, dataclass, field

from django.db import connection, transaction
from django.db.models import BooleanField, Case, Q, Value, When
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import ngettext

from .models import SearchEntry, SearchTerm, SearchTrigram

MAX_QUERY_LENGTH = 100
MAX_WORDS = 8
MAX_RESULTS = 50
# The database returns at most PER_KIND candidates of each kind (so that a broad word's many
# short cards do not crowd out the pages), at most CANDIDATES in all.
PER_KIND = 40
CANDIDATES = PER_KIND * 5
SNIPPET_RADIUS = 90
MAX_HITS = 200  # matches looked at to place a snippet
TITLE_CHARS = 110
# Fuzzy matching: how many spellings each word may take, and from which length.
SPELLINGS_PER_WORD = 5
FUZZY_MIN_LENGTH = 5
MIN_SIMILARITY = 0.35
RARE_SPELLING = 3  # entries: a word this rare may be a misspelling of a common one
# Results of each kind weigh differently at equal relevance: pages to read come first.
KIND_WEIGHT = {
    SearchEntry.Kind.NOTES: 1.3,
    SearchEntry.Kind.GUIDE: 1.3,
    SearchEntry.Kind.ERRATUM: 1.1,
    SearchEntry.Kind.CARD: 1.0,
    SearchEntry.Kind.QUESTION: 0.9,
}
FTS_TABLE = "notes_search_fts"
_FIELDS = ("id", "kind", "key", "title", "shown_text", "url", "context", '"order"')
ENTRY_COLUMNS = ", ".join(f"e.{name}" for name in _FIELDS)
COLUMNS = ", ".join(_FIELDS)

TOKEN = re.compile(r"[a-z0-9]+")
CAMEL = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|[0-9]+")
RAW_WORD = re.compile(r"[A-Za-z0-9]+")
# Accented letters a query without accents should still highlight in the text.
ACCENTS = {
    "a": "aáàäâ",
    "e": "eéèëê",
    "i": "iíìïî",
    "o": "oóòöô",
    "u": "uúùüû",
    "n": "nñ",
    "c": "cç",
}


@dataclass(frozen=True)
class SearchDocument:
    """What the loader gives the index for one item. `shown_text` is all a result may show."""

    kind: str
    key: str
    title: str
    text: str
    shown_text: str
    url: str
    context: str = ""
    keywords: str = ""
    order: int = 0

    @property
    def content_hash(self) -> str:
        data = json.dumps(asdict(self), sort_keys=True)
        return hashlib.sha256(data.encode()).hexdigest()


@dataclass
class IndexReport:
    created: int = 0
    updated: int = 0
    deleted: int = 0
    unchanged: int = 0


@dataclass
class Result:
    kind: str
    kind_label: str
    title: str
    url: str
    context: str
    snippet: SafeString
    score: float


@dataclass
class Outcome:
    query: str
    words: list[str] = field(default_factory=list)
    results: list[Result] = field(default_factory=list)
    by_kind: dict[str, int] = field(default_factory=dict)
    all_words: bool = True  # False when no entry held every word and any word was enough


# Words ------------------------------------------------------------------------------------


def fold(text: str) -> str:
    """Lower case without accents: "Organización" -> "organizacion"."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char)).casefold()


def words(text: str) -> list[str]:
    return TOKEN.findall(fold(text))


def camel_parts(text: str) -> list[str]:
    """The parts of each camelCase or PascalCase word: "ParallelizationFactor" -> parallelization,
    factor; so that "parallelization factor" finds the setting."""
    parts: list[str] = []
    for word in RAW_WORD.findall(text):
        pieces = CAMEL.findall(word)
        if len(pieces) > 1:
            parts.extend(piece.lower() for piece in pieces)
    return list(dict.fromkeys(parts))


def trigrams(word: str) -> set[str]:
    """pg_trgm's trigrams of one word: padded with two spaces in front and one behind."""
    padded = f"  {word} "
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


def similarity(a: str, b: str) -> float:
    first, second = trigrams(a), trigrams(b)
    return len(first & second) / len(first | second)


def edit_distance(a: str, b: str, limit: int) -> int:
    """Damerau-Levenshtein distance (optimal string alignment), or `limit + 1` once above it."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, start=1):
        current = [i] + [0] * len(b)
        for j, char_b in enumerate(b, start=1):
            cost = 0 if char_a == char_b else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and char_a == b[j - 2] and a[i - 2] == char_b:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


def allowed_distance(word: str) -> int:
    """How many letters may differ: none in short words (ec2, ecs and iam are all different
    things), one from five letters, two from ten ("permitions" for "permissions")."""
    if len(word) < FUZZY_MIN_LENGTH or word.isdigit():
        return 0
    return 1 if len(word) < 10 else 2


def query_words(query: str) -> list[str]:
    return list(dict.fromkeys(words(query[:MAX_QUERY_LENGTH])))[:MAX_WORDS]


# Index ------------------------------------------------------------------------------------


@transaction.atomic
def index_replace(documents: list[SearchDocument]) -> IndexReport:
    """Make the index hold exactly these documents; unchanged entries are not written."""
    report = IndexReport()
    existing = {(entry.kind, entry.key): entry for entry in SearchEntry.objects.all()}
    to_create, to_update = [], []
    for document in documents:
        values = asdict(document)
        values["content_hash"] = document.content_hash
        entry = existing.pop((document.kind, document.key), None)
        if entry is None:
            to_create.append(SearchEntry(**values))
            report.created += 1
        elif entry.content_hash == values["content_hash"]:
            report.unchanged += 1
        else:
            for name, value in values.items():
                setattr(entry, name, value)
            to_update.append(entry)
            report.updated += 1
    fields = [name for name in SearchDocument.__dataclass_fields__ if name not in {"kind", "key"}]
    SearchEntry.objects.bulk_create(to_create, batch_size=500)
    SearchEntry.objects.bulk_update(to_update, [*fields, "content_hash"], batch_size=500)
    if existing:
        SearchEntry.objects.filter(pk__in=[entry.pk for entry in existing.values()]).delete()
        report.deleted = len(existing)
    if report.created or report.updated or report.deleted or not _backend_ready():
        _store_vocabulary(documents)
        _rebuild_backend()
    return report


def _store_vocabulary(documents: list[SearchDocument]) -> None:
    """Each word of the index with the number of entries holding it (a word in one or two
    entries may be a misspelling worth matching; a common one is a word of its own)."""
    frequency: Counter[str] = Counter()
    for document in documents:
        frequency.update(set(words(f"{document.title} {document.keywords} {document.text}")))
    frequency = Counter({word: n for word, n in frequency.items() if len(word) <= 60})
    existing = {term.word: term for term in SearchTerm.objects.all()}
    SearchTerm.objects.filter(
        pk__in=[term.pk for word, term in existing.items() if word not in frequency]
    ).delete()
    changed = []
    for word, term in existing.items():
        if word in frequency and term.documents != frequency[word]:
            term.documents = frequency[word]
            changed.append(term)
    SearchTerm.objects.bulk_update(changed, ["documents"], batch_size=1000)
    added = SearchTerm.objects.bulk_create(
        [
            SearchTerm(word=word, documents=frequency[word])
            for word in sorted(set(frequency) - set(existing))
        ],
        batch_size=1000,
    )
    if connection.vendor != "postgresql":  # PostgreSQL indexes the trigrams itself (pg_trgm)
        SearchTrigram.objects.bulk_create(
            [
                SearchTrigram(gram=gram, term_id=term.pk)
                for term in added
                if allowed_distance(term.word)
                for gram in sorted(trigrams(term.word))
            ],
            batch_size=2000,
        )


_fts5_tables: dict[str, bool] = {}


def _fts5_ready() -> bool:
    """Whether this SQLite database has the FTS5 table (asked once per database file)."""
    if connection.vendor != "sqlite":
        return False
    name = str(connection.settings_dict["NAME"])
    if name not in _fts5_tables:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = %s", [FTS_TABLE]
            )
            _fts5_tables[name] = cursor.fetchone() is not None
    return _fts5_tables[name]


def _backend_ready() -> bool:
    """False when an SQLite FTS5 index may lag behind its entries (after a flush, say)."""
    if not _fts5_ready():
        return True
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {FTS_TABLE}_docsize")
        (indexed,) = cursor.fetchone()
    return indexed == SearchEntry.objects.count()


def _rebuild_backend() -> None:
    if _fts5_ready():
        with connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')")


# Query ------------------------------------------------------------------------------------


def search(query: str, *, kind: str = "") -> Outcome:
    """Ranked results for `query`, optionally of one kind; at most MAX_RESULTS."""
    outcome = Outcome(query=query, words=query_words(query))
    if not outcome.words:
        return outcome
    spellings = similar_words(outcome.words)
    groups = [spellings[word] for word in outcome.words]
    # The word being typed ("kines") also finds the words it starts ("kinesis").
    prefix = outcome.words[-1] if len(outcome.words[-1]) >= 3 else ""
    query_plan = Plan(outcome.words, groups, prefix)
    candidates = _candidates(query_plan, all_words=True)
    if not candidates and len(groups) > 1:
        outcome.all_words = False
        candidates = _candidates(query_plan, all_words=False)
    outcome.by_kind = {}
    for candidate in candidates:
        outcome.by_kind[candidate.row.kind] = candidate.kind_total or (
            outcome.by_kind.get(candidate.row.kind, 0) + 1
        )
    if kind in KIND_WEIGHT:
        candidates = _candidates(query_plan, all_words=outcome.all_words, kind=kind)
    pattern = _highlight_pattern(groups, prefix)
    labels = dict(SearchEntry.Kind.choices)
    outcome.results = [
        Result(
            kind=row.kind,
            kind_label=str(labels.get(row.kind, row.kind)),
            title=row.title,
            url=row.url,
            context=row.context,
            # A short card or question is its own title: no snippet repeats it.
            snippet=mark_safe("")
            if row.title == " ".join(row.shown_text.split())
            else highlighted_snippet(row.shown_text, pattern),
            score=value,
        )
        for value, row in _scored(candidates, query_plan)[:MAX_RESULTS]
    ]
    return outcome


def similar_words(terms: list[str]) -> dict[str, list[str]]:
    """Each word with the vocabulary words spelled almost like it (itself first).

    A common word keeps only close spellings found in at most RARE_SPELLING entries: the notes'
    misspellings ("cloudwath"), not other words ("synchronous" for "asynchronous"). A rare or
    unknown word is likely misspelled itself: every close spelling is a candidate.
    """
    found: dict[str, list[str]] = {term: [term] for term in terms}
    fuzzy = [term for term in terms if allowed_distance(term)]
    if not fuzzy:
        return found
    neighbours = _trigram_neighbours(fuzzy)
    for term in fuzzy:
        limit = allowed_distance(term)
        candidates = neighbours.get(term, {})
        common = candidates.get(term, 0) > RARE_SPELLING
        close = [
            word
            for word, documents in candidates.items()
            if word != term
            and (word.isalpha() or not term.isalpha())  # "0lambda" is no spelling of "lambda"
            and (not common or documents <= RARE_SPELLING)
            and similarity(term, word) >= MIN_SIMILARITY
            and edit_distance(term, word, limit) <= limit
        ]
        close.sort(key=lambda word: (edit_distance(term, word, limit), -similarity(term, word)))
        found[term].extend(close[: SPELLINGS_PER_WORD - 1])
    return found


def _trigram_neighbours(terms: list[str]) -> dict[str, dict[str, int]]:
    """Vocabulary words sharing many trigrams with each term, with their entry counts: one
    query on PostgreSQL (pg_trgm), one per word elsewhere (at most MAX_WORDS)."""
    neighbours: dict[str, dict[str, int]] = {term: {} for term in terms}
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT q.w, t.word, t.documents FROM unnest(%s::text[]) AS q(w)"
                " CROSS JOIN LATERAL (SELECT word, documents FROM notes_searchterm"
                " WHERE word %% q.w ORDER BY similarity(word, q.w) DESC, word LIMIT 12) AS t",
                [terms],
            )
            for term, word, documents in cursor.fetchall():
                neighbours[term][word] = documents
        return neighbours
    # One query: a ranked, limited sub-select per word, joined by UNION ALL.
    selects, params = [], []
    for term in terms:
        grams = sorted(trigrams(term))
        selects.append(
            "SELECT * FROM (SELECT %s AS term, t.word, t.documents, COUNT(*) AS shared"
            " FROM notes_searchtrigram AS g JOIN notes_searchterm AS t ON t.id = g.term_id"
            f" WHERE g.gram IN ({', '.join(['%s'] * len(grams))})"
            " GROUP BY t.id, t.word, t.documents HAVING COUNT(*) >= %s"
            " ORDER BY shared DESC, t.word LIMIT 12)"
        )
        params.extend([term, *grams, max(2, round(len(grams) * 0.5))])
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(selects), params)
        for term, word, documents, _shared in cursor.fetchall():
            neighbours[term][word] = documents
    return neighbours


@dataclass
class Plan:
    terms: list[str]  # the query's words, as typed (folded)
    groups: list[list[str]]  # each word with its similar spellings
    prefix: str  # the last word, also matched as the start of longer words


@dataclass
class Candidate:
    row: SearchEntry
    db_score: float  # the database's relevance: higher is better
    exact: bool  # holds every word as typed, not only similar spellings
    kind_total: int = 0  # how many entries of its kind match in all


def _candidates(plan: Plan, *, all_words: bool, kind: str = "") -> list[Candidate]:
    """The best CANDIDATES entries holding every word (or any word), in one query."""
    if connection.vendor == "postgresql":
        return _postgresql_candidates(plan, all_words=all_words, kind=kind)
    if _fts5_ready():
        return _fts5_candidates(plan, all_words=all_words, kind=kind)
    return _substring_candidates(plan, all_words=all_words, kind=kind)


def _postgresql_candidates(plan: Plan, *, all_words: bool, kind: str) -> list[Candidate]:
    def tsquery(groups: list[list[str]], joiner: str, prefix: str) -> tuple[str, list]:
        parts, params = [], []
        for index, group in enumerate(groups):
            alternatives = ["plainto_tsquery('english', %s)"] * len(group)
            params.extend(group)
            if prefix and index == len(groups) - 1:
                alternatives.append("to_tsquery('simple', %s)")
                params.append(f"{prefix}:*")  # query words are only [a-z0-9]: nothing to escape
            parts.append("(" + " || ".join(alternatives) + ")")
        return "(" + joiner.join(parts) + ")", params

    wide, wide_params = tsquery(plan.groups, " && " if all_words else " || ", plan.prefix)
    exact, exact_params = tsquery([[term] for term in plan.terms], " && ", "")
    kind_sql = " AND e.kind = %s" if kind else ""
    rows = SearchEntry.objects.raw(
        f"SELECT * FROM (SELECT {COLUMNS}, db_score, exact, ROW_NUMBER() OVER ("
        '  PARTITION BY kind ORDER BY exact DESC, db_score DESC, "order", id) AS place,'
        "  COUNT(*) OVER (PARTITION BY kind) AS kind_total"
        f" FROM (SELECT {ENTRY_COLUMNS}, ts_rank(e.document, {wide}, 1) AS db_score,"
        f"  e.document @@ {exact} AS exact FROM notes_searchentry AS e"
        f"  WHERE e.document @@ {wide}{kind_sql}) AS matched) AS ranked"
        ' WHERE place <= %s ORDER BY exact DESC, db_score DESC, "order", id',
        [*wide_params, *exact_params, *wide_params, *([kind] if kind else []), PER_KIND],
    )
    return [Candidate(row, row.db_score, row.exact, row.kind_total) for row in rows]


def _fts5_candidates(plan: Plan, *, all_words: bool, kind: str) -> list[Candidate]:
    def match(groups: list[list[str]], joiner: str, prefix: str) -> str:
        parts = []
        for index, group in enumerate(groups):
            alternatives = [f'"{word}"' for word in group]  # only [a-z0-9]: nothing to escape
            if prefix and index == len(groups) - 1:
                alternatives.append(f'"{prefix}"*')
            parts.append("(" + " OR ".join(alternatives) + ")")
        return joiner.join(parts)

    wide = match(plan.groups, " AND " if all_words else " OR ", plan.prefix)
    exact = match([[term] for term in plan.terms], " AND ", "")
    kind_sql = " AND e.kind = %s" if kind else ""
    # bm25() is lower for better matches; the title weighs most, then keywords, then the text.
    rows = SearchEntry.objects.raw(
        f"SELECT * FROM (SELECT {COLUMNS}, db_score, exact, ROW_NUMBER() OVER ("
        '  PARTITION BY kind ORDER BY exact DESC, db_score DESC, "order", id) AS place,'
        "  COUNT(*) OVER (PARTITION BY kind) AS kind_total"
        f" FROM (SELECT {ENTRY_COLUMNS}, -bm25({FTS_TABLE}, 10.0, 4.0, 1.0) AS db_score,"
        f"  {FTS_TABLE}.rowid IN (SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s)"
        f"  AS exact FROM {FTS_TABLE} JOIN notes_searchentry AS e ON e.id = {FTS_TABLE}.rowid"
        f"  WHERE {FTS_TABLE} MATCH %s{kind_sql}) AS matched) AS ranked"
        ' WHERE place <= %s ORDER BY exact DESC, db_score DESC, "order", id',
        [exact, wide, *([kind] if kind else []), PER_KIND],
    )
    return [Candidate(row, row.db_score, bool(row.exact), row.kind_total) for row in rows]


def _substring_candidates(plan: Plan, *, all_words: bool, kind: str) -> list[Candidate]:
    """Without full-text search in the database: substring matching, still bounded."""

    def holds(word: str) -> Q:
        return Q(title__icontains=word) | Q(keywords__icontains=word) | Q(text__icontains=word)

    conditions = []
    for group in plan.groups:
        any_spelling = Q()
        for word in group:
            any_spelling |= holds(word)
        conditions.append(any_spelling)
    combined = conditions[0]
    for condition in conditions[1:]:
        combined = combined & condition if all_words else combined | condition
    exact = Q()
    for term in plan.terms:
        exact &= holds(term)
    entries = SearchEntry.objects.defer("text", "keywords", "content_hash").filter(combined)
    if kind:
        entries = entries.filter(kind=kind)
    rows = entries.annotate(
        exact=Case(When(exact, then=Value(True)), default=Value(False), output_field=BooleanField())
    ).order_by("-exact", "order", "pk")[:CANDIDATES]
    return [Candidate(row, 1.0, row.exact) for row in rows]


def _scored(candidates: list[Candidate], plan: Plan) -> list[tuple[float, SearchEntry]]:
    """Order the candidates as a reader expects: the words as typed before similar spellings
    (and before mere stems: "responsibility" and "response" share one), the whole phrase, words
    in the title; then relevance, relative to the best of the same kind (a short card outscores
    a long page); pages to read before cards and questions at equal merit."""
    best: dict[str, float] = {}
    for candidate in candidates:
        best[candidate.row.kind] = max(best.get(candidate.row.kind, 0.0), candidate.db_score)
    terms = plan.terms
    phrase = " ".join(terms)
    scored = []
    for candidate in candidates:
        row = candidate.row
        title_words = words(row.title)
        shown = " " + " ".join(title_words + words(row.shown_text))
        top = best[row.kind]
        score = candidate.db_score / top if top > 0 else 0.0
        score += 0.5 if candidate.exact else 0.0
        # Literally there (as a word, or the start of one), where the reader will see it.
        score += 2.0 * sum(f" {term}" in shown for term in terms) / len(terms)
        score += sum(any(f" {w}" in shown for w in group[1:]) for group in plan.groups) / len(terms)
        if len(terms) > 1 and phrase in " ".join(title_words):
            score += 1.5
        elif len(terms) > 1 and f" {phrase}" in shown:
            score += 0.75
        score += sum(0.5 for term in terms if term in title_words) / len(terms)
        scored.append((round(score * KIND_WEIGHT.get(row.kind, 1.0), 4), row))
    scored.sort(key=lambda pair: (-pair[0], pair[1].order, pair[1].pk))
    return scored


def _highlight_pattern(groups: list[list[str]], prefix: str = "") -> re.Pattern | None:
    """Every spelling of every word, as a word or the start of one; one named group per query
    word (`w0`, `w1`...), so that a snippet can find where most of them meet."""
    named = []
    for index, group in enumerate(groups):
        spellings = set(group) | ({prefix} if prefix and index == len(groups) - 1 else set())
        ordered = sorted(spellings, key=len, reverse=True)
        alternatives = ["".join(_letter_class(char) for char in word) for word in ordered]
        named.append(f"(?P<w{index}>" + "|".join(alternatives) + ")")
    if not named:
        return None
    return re.compile(r"(?<![A-Za-z0-9])(?:" + "|".join(named) + r")[A-Za-z0-9]*", re.IGNORECASE)


def _letter_class(char: str) -> str:
    variants = ACCENTS.get(char)
    return f"[{variants}]" if variants else re.escape(char)


def highlighted_snippet(text: str, pattern: re.Pattern | None) -> SafeString:
    """A window of the text where the most different words of the query meet, escaped, with
    every match in <mark>."""
    text = " ".join(text.split())
    hits = list(pattern.finditer(text))[:MAX_HITS] if pattern else []
    if not hits:
        end = min(len(text), 2 * SNIPPET_RADIUS)
        window, prefix, suffix = text[:end], "", "…" if end < len(text) else ""
    else:
        best = max(
            hits,
            key=lambda hit: (
                len(
                    {
                        other.lastgroup
                        for other in hits
                        if hit.start() <= other.start() < hit.start() + SNIPPET_RADIUS
                    }
                ),
                -hit.start(),
            ),
        )
        start = max(0, best.start() - SNIPPET_RADIUS // 2)
        end = min(len(text), best.end() + SNIPPET_RADIUS * 3 // 2)
        window = text[start:end]
        prefix = "…" if start > 0 else ""
        suffix = "…" if end < len(text) else ""
    parts, position = [], 0
    for hit in pattern.finditer(window) if pattern else ():
        parts.append(escape(window[position : hit.start()]))
        parts.append(f"<mark>{escape(hit.group())}</mark>")
        position = hit.end()
    parts.append(escape(window[position:]))
    return mark_safe(prefix + "".join(parts) + suffix)


def kind_tabs(outcome: Outcome) -> list[tuple[str, str]]:
    """(kind, label with its count) for each kind found, in the order of KIND_WEIGHT."""
    labels = {
        SearchEntry.Kind.NOTES: lambda n: ngettext("%(n)d notes page", "%(n)d notes pages", n),
        SearchEntry.Kind.GUIDE: lambda n: ngettext(
            "%(n)d study guide page", "%(n)d study guide pages", n
        ),
        SearchEntry.Kind.ERRATUM: lambda n: ngettext("%(n)d correction", "%(n)d corrections", n),
        SearchEntry.Kind.CARD: lambda n: ngettext("%(n)d card", "%(n)d cards", n),
        SearchEntry.Kind.QUESTION: lambda n: ngettext("%(n)d question", "%(n)d questions", n),
    }
    return [
        (kind, labels[kind](outcome.by_kind[kind]) % {"n": outcome.by_kind[kind]})
        for kind in KIND_WEIGHT
        if outcome.by_kind.get(kind)
    ]


def short_title(text: str, limit: int = TITLE_CHARS) -> str:
    """The start of a card's front or a question's stem, as a result's title."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit)
    return text[: cut if cut > limit // 2 else limit].rstrip(" ,.;:") + "…"
