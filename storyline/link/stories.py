"""The stories linker: online clustering of the store's articles into stories.

Each article that arrived since the last run joins a story or starts one (see
`cluster.Clusterer`); a duplicate joins its original's story without weighing on it. The
clusterer's state (story centroids, term document frequencies) lives in the `stories` and
`term_df` tables, so adding articles updates stories and never recomputes the corpus.
`recluster(store)` (the `storyline recluster` command) throws the stories away and streams
every article again, in order of arrival.
"""
from __future__ import annotations

import json
from datetime import datetime, timezone

from .cluster import MAX_ACTIVE, Clusterer, Story
from .features import article_features, day_of
from .state import get_last_seq, new_articles, set_last_seq, transaction

_N_DOCS = ""  # the term_df row that holds the number of documents seen
KEY_ACTORS = 5


def story_id(article_id: str) -> str:
    """A story is named after the article that started it."""
    return "s" + article_id[1:]


def load_clusterer(store) -> Clusterer:
    cl = Clusterer()
    for term, df in store.conn.execute("SELECT term, df FROM term_df"):
        if term == _N_DOCS:
            cl.n_docs = df
        else:
            cl.df[term] = df
    rows = store.conn.execute("SELECT id, size, state FROM stories ORDER BY updated_at DESC, seq DESC LIMIT ?",
                              (MAX_ACTIVE,)).fetchall()
    for sid, size, state in reversed(rows):
        cl.load(Story.from_state(sid, size, json.loads(state)))
    return cl


def key_actors_of(st: Story, n: int = KEY_ACTORS) -> list[str]:
    """The names most of the story's articles mention (years left out)."""
    names = [k for k, _ in sorted(st.ents.items(), key=lambda kv: (-kv[1], kv[0])) if not k.startswith("year ")]
    return [st.names.get(k, k).title() if st.names.get(k, k).islower() else st.names.get(k, k) for k in names[:n]]


def link_stories(store) -> None:
    """Linker: put every article that arrived since the last run into a story."""
    last = get_last_seq(store, "stories")
    arts = new_articles(store, last)
    cl = None
    for art in arts:
        if cl is None:
            cl = load_clusterer(store)
        root = art.get("duplicate_of")
        row = store.conn.execute("SELECT story FROM articles WHERE id=?", (root,)).fetchone() if root else None
        with transaction(store):
            if row and row[0]:
                store.conn.execute("UPDATE articles SET story=? WHERE id=?", (row[0], art["id"]))
            else:
                f = article_features(art["text"], art.get("title"), None, day_of(art))
                sid, _, created = cl.add(f, story_id(art["id"]))
                _save(store, cl.stories[sid], created)
                store.conn.execute("UPDATE articles SET story=? WHERE id=?", (sid, art["id"]))
                _count_terms(store, f)
            set_last_seq(store, "stories", art["seq"])


def _save(store, st: Story, created: bool) -> None:
    now = datetime.now(timezone.utc).isoformat(timespec="microseconds")
    state = json.dumps(st.to_state(), ensure_ascii=False)
    actors = json.dumps(key_actors_of(st), ensure_ascii=False)
    if created:
        seq = store.conn.execute("SELECT COALESCE(MAX(seq), 0) + 1 FROM stories").fetchone()[0]
        store.conn.execute("INSERT INTO stories (id, seq, title, size, state, key_actors, updated_at) VALUES (?,?,?,?,?,?,?)",
                           (st.id, seq, st.title or None, st.size, state, actors, now))
    else:
        store.conn.execute("UPDATE stories SET title=?, size=?, state=?, key_actors=?, updated_at=? WHERE id=?",
                           (st.title or None, st.size, state, actors, now, st.id))


def _count_terms(store, f) -> None:
    keys = [(k,) for k in f.terms] + [("E:" + k,) for k in f.ents] + [(_N_DOCS,)]
    store.conn.executemany("INSERT INTO term_df (term, df) VALUES (?, 1) "
                           "ON CONFLICT(term) DO UPDATE SET df = df + 1", keys)


def recluster(store) -> int:
    """Maintenance: drop all stories and cluster every article again. Returns the number
    of stories."""
    with transaction(store):
        store.conn.execute("DELETE FROM stories")
        store.conn.execute("DELETE FROM term_df")
        store.conn.execute("UPDATE articles SET story=NULL")
        set_last_seq(store, "stories", 0)
    link_stories(store)
    return store.conn.execute("SELECT COUNT(*) FROM stories").fetchone()[0]


def stories(store) -> list[dict]:
    """Stored stories in order of creation: {id, title, articles, key_actors, size}."""
    out = []
    members: dict[str, list[str]] = {}
    for aid, sid in store.conn.execute("SELECT id, story FROM articles WHERE story IS NOT NULL ORDER BY seq"):
        members.setdefault(sid, []).append(aid)
    for sid, title, actors in store.conn.execute("SELECT id, title, key_actors FROM stories ORDER BY seq"):
        if members.get(sid):
            out.append({"id": sid, "title": title, "articles": members[sid], "key_actors": json.loads(actors or "[]")})
    return out
