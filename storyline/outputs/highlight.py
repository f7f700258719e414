"""Article text with extracted spans marked: every character escaped, marks nested safely.

`highlight(text, marks)` cuts the text at every mark boundary and wraps each piece in one
`<mark>` per covering span (outermost first), so overlapping spans (a name inside a quote)
never produce broken HTML. Article text is untrusted: it only ever passes through
`markupsafe.escape`.
"""
from __future__ import annotations

from typing import Optional

from markupsafe import Markup, escape


def highlight(text: str, marks: list[dict], target: Optional[dict] = None) -> Markup:
    """`marks`: [{start, end, kind, id?, title?}] with offsets into `text`. Returns HTML.
    `target` ({start, end, id, title?}): one span wrapped whole in a single element (the
    other marks are cut at its edges), so a link can point at exactly those characters."""
    if target and 0 <= target["start"] < target["end"] <= len(text):
        s, e = target["start"], target["end"]

        def clip(lo, hi):
            return [dict(m, start=max(m["start"], lo) - lo, end=min(m["end"], hi) - lo)
                    for m in marks if m["start"] < hi and m["end"] > lo]

        inner = highlight(text[s:e], clip(s, e))
        attrs = f' class="hl hl-target" id="{escape(target["id"])}"'
        if target.get("title"):
            attrs += f' title="{escape(target["title"])}"'
        return (highlight(text[:s], clip(0, s)) + Markup(f"<mark{attrs}>") + inner + Markup("</mark>")
                + highlight(text[e:], clip(e, len(text))))
    marks = [m for m in marks if 0 <= m["start"] < m["end"] <= len(text)]
    cuts = sorted({0, len(text), *(m["start"] for m in marks), *(m["end"] for m in marks)})
    starts_at: dict[int, list[dict]] = {}
    for m in marks:
        starts_at.setdefault(m["start"], []).append(m)
    out = []
    for a, b in zip(cuts, cuts[1:]):
        piece = escape(text[a:b])
        covering = sorted((m for m in marks if m["start"] <= a and b <= m["end"]),
                          key=lambda m: (m["start"], -m["end"]))
        for m in reversed(covering):
            attrs = f' class="hl hl-{escape(m["kind"])}"'
            if m.get("id") and m["start"] == a and m in starts_at.get(a, ()):
                attrs += f' id="{escape(m["id"])}"'
            if m.get("title"):
                attrs += f' title="{escape(m["title"])}"'
            piece = Markup(f"<mark{attrs}>") + piece + Markup("</mark>")
        out.append(piece)
    return Markup("").join(out)
