"""Hypothesis strategies for Markdown documents shaped like the notes and the bank."""

from hypothesis import strategies as st

WORDS = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=8)
NUMBERS = st.integers(min_value=0, max_value=3000).map(str)
TOKENS = st.one_of(
    WORDS,
    WORDS,
    NUMBERS,
    NUMBERS.map(lambda n: f"{n}."),
    NUMBERS.map(lambda n: f"{n})"),
    WORDS.map(lambda w: f"**{w}**"),
    WORDS.map(lambda w: f"`{w}`"),
    st.sampled_from(["-", "*", "+", "#", ">"]),
)
# Lines that a list item or paragraph starts with begin with a word; wrapped lines may begin
# with anything, including "2026." (the case that once became a list number).
LINES = st.tuples(WORDS, st.lists(TOKENS, max_size=5)).map(lambda t: " ".join([t[0], *t[1]]))
# A wrapped line may start with a marker-like token ("2026.", "-"), then words: never two
# markers in a row ("- 0. a" is a list inside a list item, which the notes never write).
WRAPPED = st.tuples(
    st.one_of(st.just(""), NUMBERS.map(lambda n: f"{n}."), st.sampled_from(["-", "*", "+"])),
    LINES,
).map(lambda t: " ".join(part for part in t if part))


@st.composite
def paragraphs(draw):
    return "\n".join([draw(LINES), *draw(st.lists(WRAPPED, max_size=2))])


@st.composite
def lists(draw):
    ordered = draw(st.booleans())
    # Sub-lists start at their parent's text: 2 spaces under "- ", 3 or more under "1. ".
    indent = draw(st.sampled_from([3, 4] if ordered else [2, 3, 4]))
    lines = []
    for number, depth in enumerate(draw(st.lists(st.integers(0, 2), min_size=1, max_size=5)), 1):
        depth = min(depth, (lines and lines[-1][0] + 1) or 0)
        marker = f"{number}." if ordered else "-"
        lines.append((depth, f"{' ' * (indent * depth)}{marker} {draw(LINES)}"))
        if draw(st.booleans()):  # a wrapped line, possibly starting with a number and a period
            lines.append((depth, f"{' ' * (indent * depth + len(marker) + 1)}{draw(WRAPPED)}"))
    return "\n".join(line for _depth, line in lines)


@st.composite
def code_blocks(draw):
    body = "\n".join(
        " " * draw(st.sampled_from([0, 2, 4, 8])) + draw(LINES).replace("*", "")
        for _ in range(draw(st.integers(1, 3)))
    )
    if draw(st.booleans()):
        return f"```python\n{body}\n```"
    return "\n".join("    " + line for line in body.splitlines())


@st.composite
def links(draw):
    return f"See [{draw(WORDS)}](https://docs.aws.amazon.com/{draw(WORDS)}.html) now."


DOCUMENTS = st.lists(
    st.one_of(paragraphs(), lists(), code_blocks(), links()), min_size=1, max_size=5
).map("\n\n".join)
