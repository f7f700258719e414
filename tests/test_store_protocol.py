"""The store boundary: `SQLiteStore` and `PostgresStore` implement the `Store` protocol, no SQL lives outside
storyline/store, lock and file errors surface as coded `StoreError`s, and `reset_links`
forgets every corpus link at once."""
from __future__ import annotations

import ast
import sqlite3
from pathlib import Path

import pytest

from storyline.cli import main
from storyline.errors import Codes, StoreError
from storyline.link.duplicates import link_duplicates, sign
from storyline.link.stories import link_stories
from storyline.store import Store, open_store
from storyline.store import protocol

PACKAGE = Path(__file__).resolve().parents[1] / "storyline"
# Modules that may talk to SQLite themselves: the store, and eval (it reads data files).
ALLOWED = ("store", "eval")


def _members(proto: type) -> set[str]:
    names = {n for n in vars(proto) if not n.startswith("_")} | set(getattr(proto, "__annotations__", {}))
    return names | ({"__enter__", "__exit__"} & set(vars(proto)))


def test_store_has_every_protocol_member(store_url):
    with open_store(store_url) as store:
        assert isinstance(store, Store)
        missing = [m for m in _members(Store) if not hasattr(store, m)]
        assert not missing, missing
        repos = {"link_state": protocol.LinkStateRepo, "duplicates": protocol.DuplicateBandsRepo,
                 "stories": protocol.StoryStateRepo, "actors": protocol.ActorTablesRepo,
                 "groups": protocol.GroupTableRepo, "search": protocol.SearchRepo,
                 "browse": protocol.BrowseRepo}
        for attr, proto in repos.items():
            missing = [m for m in _members(proto) if not callable(getattr(getattr(store, attr), m, None))]
            assert not missing, (attr, missing)


def _offences(path: Path) -> list[str]:
    tree = ast.parse(path.read_text("utf-8"))
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import) and any(a.name.split(".")[0] == "sqlite3" for a in node.names):
            out.append(f"{node.lineno}: imports sqlite3")
        elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "sqlite3":
            out.append(f"{node.lineno}: imports sqlite3")
        elif isinstance(node, ast.Attribute) and node.attr in ("execute", "executemany", "executescript", "conn"):
            out.append(f"{node.lineno}: .{node.attr}")
    return out


def test_no_sql_outside_the_store():
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE)
        if rel.parts[0] in ALLOWED:
            continue
        bad = _offences(path)
        if bad:
            found[str(rel)] = bad
    assert not found, f"SQL or a connection outside storyline/store: {found}"


def test_a_file_that_is_not_a_database_is_e301(tmp_path, capsys):
    bad = tmp_path / "junk.db"
    bad.write_bytes(b"this is not a database, just some bytes " * 100)
    with pytest.raises(StoreError) as err:
        open_store(str(bad))
    assert err.value.code == Codes.E301
    assert main(["export", "--db", str(bad)]) == 1
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1 and "E301" in lines[0]


def test_a_held_write_lock_is_e302(tmp_path):
    db = str(tmp_path / "t.db")
    with open_store(db) as store:
        store.conn.execute("PRAGMA busy_timeout=50")  # the store waits 30 s by default
        other = sqlite3.connect(db, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        try:
            with pytest.raises(StoreError) as err:
                store.record_failure("x.txt", "E102", "empty")
            assert err.value.code == Codes.E302 and "\n" not in err.value.line()
            with pytest.raises(StoreError) as err:
                with store.transaction():
                    store.link_state.set_last_seq("stories", 1)
            assert err.value.code == Codes.E302
        finally:
            other.execute("ROLLBACK")
            other.close()
        assert store.link_state.last_seq("stories") == 0
        store.record_failure("x.txt", "E102", "empty")  # the lock is gone: it works again
        assert len(store.failures()) == 1


def test_transaction_rolls_back_and_nests(store_url):
    with open_store(store_url) as store:
        with pytest.raises(RuntimeError):
            with store.transaction():
                store.link_state.set_last_seq("duplicates", 5)
                raise RuntimeError("boom")
        assert store.link_state.last_seq("duplicates") == 0
        with store.transaction():
            with store.transaction():  # joins the outer one
                store.link_state.set_last_seq("duplicates", 3)
        assert store.link_state.last_seq("duplicates") == 3


def test_reset_links_forgets_every_link(store_url):
    text = ("The river broke through the dam above the town of Kessara on Friday night, and the army "
            "moved two thousand families to the hills before the water reached the valley. ") * 3
    with open_store(store_url) as store:
        for aid in ("a1", "a2"):
            store.save_article({"id": aid, "path": aid + ".txt", "text": text}, {})
        link_duplicates(store)
        link_stories(store)
        keys = sign("a1", text).keys
        assert store.article("a2")["duplicate_of"] == "a1" and store.stories.count() == 1
        assert store.duplicates.candidates(keys) == {"a1", "a2"}
        store.reset_links(["dup_bands", "stories", "term_df"], ["duplicates", "stories"])
        assert all(a["duplicate_of"] is None and a["story"] is None for a in store.articles())
        assert store.stories.count() == 0 and store.stories.term_df() == {}
        assert store.duplicates.candidates(keys) == set()
        assert store.link_state.last_seq("duplicates") == store.link_state.last_seq("stories") == 0
        link_duplicates(store)
        link_stories(store)
        assert store.article("a2")["duplicate_of"] == "a1" and store.stories.count() == 1
        for table in ("articles", "records", "link_state", "no_such_table"):
            with pytest.raises(ValueError):
                store.reset_links([table], [])
        assert store.count("articles") == 2

