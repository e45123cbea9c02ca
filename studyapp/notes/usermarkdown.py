"""Markdown that learners and instructors write (imported cards, own questions) to safe HTML.

GitHub-flavoured CommonMark through cmark-gfm (the `cmarkgfm` bindings PyPI uses for project
READMEs): a C parser, linear in its input, about 0.3 ms per hostile kilobyte (nested
brackets, emphasis runs), where markdown-it-py, also linear, takes about 10 ms; see
benchmarks/card_import.py. As with authored content, raw HTML is shown as text, never
passed through: every `<` is swapped for a private-use character before parsing (so no tag
can form), and back to `&lt;` after. The output is sanitised by nh3 all the same.
"""

import cmarkgfm
from cmarkgfm.cmark import Options

from .markdown import sanitize

LESS_THAN = "\ue000"  # a private-use character: never meaningful in a learner's text


def render_user_markdown(text: str) -> str:
    source = text.replace(LESS_THAN, "\ufffd").replace("<", LESS_THAN)
    html = cmarkgfm.github_flavored_markdown_to_html(source, options=Options.CMARK_OPT_DEFAULT)
    return sanitize(html.replace(LESS_THAN, "&lt;")).strip()
