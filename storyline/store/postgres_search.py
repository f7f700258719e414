"""Full-text search on PostgreSQL: `tsvector` over the same text FTS5 indexes on SQLite
(article title and text; the text of quotes and claims), through the GIN expression
indexes of migration 5 (`postgres_migrations`). The rows are the index: a saved or removed
article is searchable or gone when its transaction commits, and there is nothing to rebuild.

Same answer shape as `sqlite_search.SearchIndex.query`: the words of the query all
required, the last one as a prefix, best matches first, snippets with the matched words
between `MARK_START` and `MARK_END`. Ranking is `ts_rank` (not BM25), so ties and the order
of close matches may differ from SQLite's.
"""
from __future__ import annotations

from typing import Optional

from .postgres_errors import Connection
from .postgres_migrations import ARTICLE_TSV, FTS_KINDS, RECORD_TSV, TS_CONFIG
from .sqlite_search import MARK_END, MARK_START, MAX_TERMS, SNIPPET_TOKENS, _TERM

# ts_headline settings: a window of about SNIPPET_TOKENS words around the best match.
HEADLINE = (f"StartSel={MARK_START}, StopSel={MARK_END}, MaxWords={SNIPPET_TOKENS}, "
            f"MinWords={SNIPPET_TOKENS // 2}, ShortWord=0, MaxFragments=1, FragmentDelimiter=…")


def ts_query(text: str) -> Optional[str]:
    """A user's words as a safe `to_tsquery` argument: each word a quoted lexeme (tsquery
    operators in the input are plain text), all required, the last a prefix. None when
    there is no word to look for."""
    terms = _TERM.findall(text or "")[:MAX_TERMS]
    if not terms:
        return None
    quoted = ["'" + t.replace("'", "''").replace("\\", "\\\\") + "'" for t in terms]
    quoted[-1] += ":*"
    return " & ".join(quoted)


class SearchIndex:
    """Full-text search over article titles and text, quotes and claims."""

    def __init__(self, conn: Connection):
        self.conn = conn

    def query(self, text: str, limit: int = 20) -> dict[str, list[dict]]:
        q = ts_query(text)
        out: dict[str, list[dict]] = {"articles": [], "quotes": [], "claims": []}
        if q is None:
            return out
        rows = self.conn.execute(
            f"SELECT a.id, a.title, a.source, a.published, "
            f"ts_headline('{TS_CONFIG}', coalesce(a.title, '') || ' ' || a.text, q, ?) "
            f"FROM articles a, to_tsquery('{TS_CONFIG}', ?) q "
            f"WHERE {ARTICLE_TSV} @@ q ORDER BY ts_rank({ARTICLE_TSV}, q) DESC, a.seq LIMIT ?",
            (HEADLINE, q, limit)).fetchall()
        out["articles"] = [{"id": r[0], "article": r[0], "title": r[1], "source": r[2], "published": r[3],
                            "snippet": r[4]} for r in rows]
        for kind in ("quotes", "claims"):
            rows = self.conn.execute(
                f"SELECT r.id, r.article, a.title, a.source, a.published, r.start, r.\"end\", "
                f"ts_headline('{TS_CONFIG}', coalesce(r.data::jsonb ->> 'text', ''), q, ?) "
                f"FROM records r JOIN articles a ON a.id = r.article, to_tsquery('{TS_CONFIG}', ?) q "
                f"WHERE r.kind IN {FTS_KINDS} AND r.kind = ? AND {RECORD_TSV} @@ q "
                f"ORDER BY ts_rank({RECORD_TSV}, q) DESC, a.seq, r.start LIMIT ?",
                (HEADLINE, q, kind, limit)).fetchall()
            out[kind] = [{"id": r[0], "article": r[1], "title": r[2], "source": r[3], "published": r[4],
                          "start": r[5], "end": r[6], "snippet": r[7]} for r in rows]
        return out

    def rebuild(self) -> None:
        """Nothing to do: PostgreSQL's expression indexes follow the rows."""
