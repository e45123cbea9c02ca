"""The mock-exam score trend as a server-rendered SVG line with a text alternative."""

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import ngettext

WIDTH, HEIGHT, PAD = 480, 160, 24


def _y(score: int) -> float:
    return PAD + (1000 - score) / 900 * (HEIGHT - 2 * PAD)


def score_trend(attempts) -> SafeString:
    """Scaled scores of finished attempts in time order, with the 720 pass line."""
    scores = [attempt.scaled_score for attempt in attempts if attempt.scaled_score is not None]
    if not scores:
        return SafeString("")
    step = (WIDTH - 2 * PAD) / max(1, len(scores) - 1)
    points = [(round(PAD + i * step, 1), round(_y(score), 1)) for i, score in enumerate(scores)]
    label = ngettext(
        "Scaled score of your last mock exam: %(scores)s",
        "Scaled scores of your last %(n)d mock exams: %(scores)s",
        len(scores),
    ) % {
        "n": len(scores),
        "scores": ", ".join(str(score) for score in scores),
    }
    dots = format_html_join(
        "",
        '<circle cx="{}" cy="{}" r="4" class="trend-dot"><title>{}</title></circle>',
        ((x, y, score) for (x, y), score in zip(points, scores, strict=True)),
    )
    return format_html(
        '<svg class="chart trend" viewBox="0 0 {} {}" role="img" aria-label="{}"><title>{}</title>'
        '<line x1="{}" x2="{}" y1="{}" y2="{}" class="pass-line"/><text x="{}" y="{}">720</text>'
        '<polyline class="trend-line" fill="none" points="{}"/>{}</svg>',
        WIDTH,
        HEIGHT,
        label,
        label,
        PAD,
        WIDTH - PAD,
        _y(720),
        _y(720),
        2,
        _y(720) + 4,
        " ".join(f"{x},{y}" for x, y in points),
        dots,
    )
