"""The SQLite store: one file, WAL, one transaction per article."""
from __future__ import annotations

import hashlib
import json
import sqlite3
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterable, Iterator, Optional

from ..errors import Codes, StoreError
from .migrations import migrate

ARTICLE_FIELDS = ("id", "path", "text", "title", "source", "author", "url", "published",
                  "published_precision", "published_estimate", "dateline", "language",
                  "cites", "format", "encoding", "duplicate_of", "story")
JSON_FIELDS = {"cites", "published_estimate"}
DEFAULT_DB = "storyline.db"


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def record_id(article: str, kind: str, start, end, data: dict) -> str:
    key = json.dumps([article, kind, start, end, data], sort_keys=True, ensure_ascii=False)
    return kind[0] + hashlib.sha256(key.encode("utf-8")).hexdigest()[:15]


class SQLiteStore:
    def __init__(self, path: str = DEFAULT_DB):
        self.path = path
        try:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
            self.conn = sqlite3.connect(path, isolation_level=None, timeout=30)
            self.conn.row_factory = sqlite3.Row
            self.conn.execute("PRAGMA journal_mode=WAL")
            self.conn.execute("PRAGMA synchronous=NORMAL")
            self.conn.execute("PRAGMA foreign_keys=ON")
            self.version = migrate(self.conn)
        except sqlite3.DatabaseError as exc:
            raise StoreError(Codes.E301, str(exc), where=path) from None

    def close(self) -> None:
        self.conn.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # --- writing -------------------------------------------------------------------
    def has_article(self, article_id: str) -> bool:
        return self.conn.execute("SELECT 1 FROM articles WHERE id=?", (article_id,)).fetchone() is not None

    def save_article(self, article: dict, records: dict[str, list[dict]]) -> bool:
        """Store an article with all its records in one transaction. False if already there."""
        with self.conn:
            self.conn.execute("BEGIN IMMEDIATE")
            if self.has_article(article["id"]):
                return False
            seq = self.conn.execute("SELECT COALESCE(MAX(seq), 0) + 1 FROM articles").fetchone()[0]
            values = [json.dumps(article.get(f) or ([] if f == "cites" else None), ensure_ascii=False)
                      if f in JSON_FIELDS else article.get(f) for f in ARTICLE_FIELDS]
            self.conn.execute(
                f"INSERT INTO articles ({', '.join(ARTICLE_FIELDS)}, seq, processed_at) "
                f"VALUES ({', '.join('?' * len(ARTICLE_FIELDS))}, ?, ?)", values + [seq, _now()])
            rows = []
            for kind, items in records.items():
                for rec in items or []:
                    span = rec.get("span") or {}
                    rid = rec.get("id") or record_id(article["id"], kind, span.get("start"), span.get("end"), rec)
                    rows.append((rid, article["id"], kind, span.get("start"), span.get("end"),
                                 json.dumps(rec, ensure_ascii=False)))
            self.conn.executemany('INSERT OR IGNORE INTO records (id, article, kind, start, "end", data) VALUES (?,?,?,?,?,?)', rows)
            self.conn.execute("DELETE FROM failures WHERE path=?", (article["path"],))
        return True

    def input_unchanged(self, path: str, size: int, mtime_ns: int) -> bool:
        row = self.conn.execute("SELECT size, mtime_ns FROM inputs WHERE path=?", (path,)).fetchone()
        return row is not None and row["size"] == size and row["mtime_ns"] == mtime_ns

    def mark_input_done(self, path: str, size: int, mtime_ns: int, article_ids: list[str]) -> None:
        with self.conn:
            self.conn.execute("INSERT OR REPLACE INTO inputs VALUES (?,?,?,?,?)",
                              (path, size, mtime_ns, json.dumps(article_ids), _now()))

    def input_articles(self, path: str) -> list[str]:
        """Article ids an input yielded when it was last read completely."""
        row = self.conn.execute("SELECT articles FROM inputs WHERE path=?", (path,)).fetchone()
        return json.loads(row[0]) if row else []

    def remove_articles(self, ids: list[str]) -> int:
        """Delete articles (an edited input's old version) with everything that hangs on
        them (records, duplicate bands, actor links cascade), in one transaction. Articles
        that another input still yields are kept. Returns how many were removed."""
        if not ids:
            return 0
        with self.conn:
            self.conn.execute("BEGIN IMMEDIATE")
            held = set()
            for (arts,) in self.conn.execute("SELECT articles FROM inputs"):
                held.update(json.loads(arts))
            gone = [i for i in ids if i not in held]
            for i in gone:
                self.conn.execute("UPDATE articles SET duplicate_of=NULL WHERE duplicate_of=?", (i,))
                self.conn.execute("DELETE FROM articles WHERE id=?", (i,))
        return len(gone)

    def clear_failures(self, path: str) -> None:
        """Forget the recorded failures of an input and its records before re-reading it."""
        with self.conn:
            self.conn.execute("DELETE FROM failures WHERE path=? OR substr(path, 1, ?)=?",
                              (path, len(path) + 1, path + "#"))

    def record_failure(self, path: str, code: str, message: str) -> None:
        with self.conn:
            self.conn.execute("INSERT OR REPLACE INTO failures VALUES (?,?,?,?)", (path, code, message, _now()))

    def update_article(self, article_id: str, **fields) -> None:
        allowed = {k: (json.dumps(v) if k in JSON_FIELDS else v) for k, v in fields.items() if k in ARTICLE_FIELDS}
        if not allowed:
            return
        with self.conn:
            self.conn.execute(f"UPDATE articles SET {', '.join(f'{k}=?' for k in allowed)} WHERE id=?",
                              list(allowed.values()) + [article_id])

    # --- reading -------------------------------------------------------------------
    def articles(self) -> Iterator[dict]:
        for row in self.conn.execute("SELECT * FROM articles ORDER BY seq"):
            yield self._article(row)

    def article(self, article_id: str) -> Optional[dict]:
        row = self.conn.execute("SELECT * FROM articles WHERE id=?", (article_id,)).fetchone()
        return self._article(row) if row else None

    @staticmethod
    def _article(row: sqlite3.Row) -> dict:
        d = dict(row)
        for f in JSON_FIELDS:
            d[f] = json.loads(d[f]) if d.get(f) else ([] if f == "cites" else None)
        return d

    def records(self, kind: str, article: Optional[str] = None) -> Iterator[dict]:
        sql = "SELECT r.id, r.article, r.data FROM records r JOIN articles a ON a.id = r.article WHERE r.kind=?"
        args: list = [kind]
        if article:
            sql += " AND r.article=?"
            args.append(article)
        sql += " ORDER BY a.seq, r.start, r.id"
        for row in self.conn.execute(sql, args):
            rec = json.loads(row["data"])
            rec["id"] = row["id"]
            rec["article"] = row["article"]
            yield rec

    def failures(self) -> list[dict]:
        return [dict(r) for r in self.conn.execute("SELECT * FROM failures ORDER BY path")]

    def count(self, table: str) -> int:
        assert table in {"articles", "records", "inputs", "failures"}
        return self.conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]

    def integrity_ok(self) -> bool:
        return self.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
