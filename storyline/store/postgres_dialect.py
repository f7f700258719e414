"""SQLite statements as PostgreSQL statements.

The SQLite store (`sqlite.py`, `sqlite_links.py`, `sqlite_search.py`) writes its SQL once,
in the subset the two databases share plus a few SQLite idioms; the PostgreSQL store runs
the same statements through `to_postgres`, so every query exists once and both backends
pass the same tests. What is rewritten, all of it:

| SQLite | PostgreSQL |
|---|---|
| `?` placeholders | `%s` (and a literal `%` becomes `%%`) |
| `INSERT OR IGNORE INTO t ...` | `INSERT INTO t ... ON CONFLICT DO NOTHING` |
| `INSERT OR REPLACE INTO t ...` | `INSERT INTO t ... ON CONFLICT (key) DO UPDATE SET ...` (keys: `UPSERT_KEYS`) |
| `... DO UPDATE SET c = c + 1` (the existing row's `c`) | `... DO UPDATE SET c = t.c + 1` |
| `json_extract(x, '$.k')` | `(x::jsonb ->> 'k')` |
| `json_remove(x, '$.a', '$.b')` | `(x::jsonb - 'a' - 'b')::text` |
| `json_group_array(x)` | `json_agg(x)::text` |
| the table list from `sqlite_master` | the table list from `information_schema` |

Anything else SQLite-only (FTS5 `MATCH`, `PRAGMA`) has its own PostgreSQL method in
`postgres.py` / `postgres_search.py`; a statement that slips through fails loudly in the
PostgreSQL run of the store tests, never silently.
"""
from __future__ import annotations

import re
from functools import lru_cache

from .postgres_migrations import UPSERT_KEYS

_INSERT_OR = re.compile(r"^\s*INSERT\s+OR\s+(IGNORE|REPLACE)\s+INTO\s+(\w+)\s*(\([^)]*\))?", re.I | re.S)
_UPSERT_SET = re.compile(r"^\s*INSERT\s+INTO\s+(\w+).*?\bDO\s+UPDATE\s+SET\s+(.*)$", re.I | re.S)
_JSON_EXTRACT = re.compile(r"json_extract\(\s*([\w.]+)\s*,\s*'\$\.(\w+)'\s*\)", re.I)
_JSON_REMOVE = re.compile(r"json_remove\(\s*([\w.]+)\s*((?:,\s*'\$\.\w+'\s*)+)\)", re.I)
_JSON_GROUP_ARRAY = re.compile(r"json_group_array\(([^()]*)\)", re.I)
_TABLES = "SELECT name FROM sqlite_master WHERE type='table'"
STATEMENTS = {
    _TABLES: "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()",
}


@lru_cache(maxsize=512)
def to_postgres(sql: str) -> str:
    """The statement `sql` (SQLite dialect, `?` placeholders) for psycopg."""
    if sql.strip() in STATEMENTS:
        return STATEMENTS[sql.strip()]
    sql = _qualify_upsert(sql)
    sql = _JSON_EXTRACT.sub(lambda m: f"({m[1]}::jsonb ->> '{m[2]}')", sql)
    sql = _JSON_REMOVE.sub(lambda m: "(" + m[1] + "::jsonb" + "".join(
        f" - '{k}'" for k in re.findall(r"'\$\.(\w+)'", m[2])) + ")::text", sql)
    sql = _JSON_GROUP_ARRAY.sub(lambda m: f"json_agg({m[1]})::text", sql)
    m = _INSERT_OR.match(sql)
    if m:
        verb, table, cols = m[1].upper(), m[2], m[3]
        sql = f"INSERT INTO {table} {cols or ''}" + sql[m.end():]
        if verb == "IGNORE":
            sql += " ON CONFLICT DO NOTHING"
        else:
            if table not in UPSERT_KEYS:
                raise ValueError(f"INSERT OR REPLACE INTO {table}: add its key to UPSERT_KEYS")
            key, columns = UPSERT_KEYS[table]
            named = [c.strip().strip('"') for c in cols.strip("()").split(",")] if cols else list(columns)
            rest = [c for c in named if c not in key]
            action = ("DO UPDATE SET " + ", ".join(f'"{c}" = EXCLUDED."{c}"' for c in rest)) if rest else "DO NOTHING"
            sql += f" ON CONFLICT ({', '.join(key)}) {action}"
    return _placeholders(sql)


def _qualify_upsert(sql: str) -> str:
    """In `ON CONFLICT ... DO UPDATE SET c = <expr>`, SQLite reads a bare `c` inside <expr>
    as the existing row's column; PostgreSQL calls it ambiguous: qualify it with the table."""
    m = _UPSERT_SET.match(sql)
    if not m:
        return sql
    table, assignments = m[1], m[2]
    parts = []
    for part in assignments.split(","):
        col, eq, expr = part.partition("=")
        name = col.strip().strip('"')
        if eq and re.fullmatch(r"\w+", name):
            expr = re.sub(rf"(?<![\w.]){re.escape(name)}\b", f"{table}.{name}", expr)
        parts.append(col + eq + expr)
    return sql[:m.start(2)] + ",".join(parts)


def _placeholders(sql: str) -> str:
    """`?` -> `%s` and `%` -> `%%`, outside quoted strings and identifiers."""
    out = []
    quote = None
    for ch in sql:
        if quote:
            if ch == quote:
                quote = None
            out.append("%%" if ch == "%" else ch)
        elif ch in "'\"":
            quote = ch
            out.append(ch)
        elif ch == "?":
            out.append("%s")
        elif ch == "%":
            out.append("%%")
        else:
            out.append(ch)
    return "".join(out)
