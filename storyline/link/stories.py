"""The stories linker: online clustering of the store's articles into stories.

Each article that arrived since the last run joins a story or starts one (see
`cluster.Clusterer`); a duplicate joins its original's story without weighing on it. The
clusterer's state (story centroids, term document frequencies) lives in the store
(`store.stories`), so adding articles updates stories and never recomputes the corpus.
`recluster(store)` (the `storyline recluster` command) throws the stories away and streams
every article again, in order of arrival.
"""
from __future__ import annotations

from ..store.protocol import Store
from .batched import in_transactions
from .cluster import MAX_ACTIVE, Clusterer, Features, Story
from .features import article_features, day_of

_N_DOCS = ""  # the term_df row that holds the number of documents seen
KEY_ACTORS = 5


def story_id(article_id: str) -> str:
    """A story is named after the article that started it."""
    return "s" + article_id[1:]


def load_clusterer(store: Store) -> Clusterer:
    cl = Clusterer()
    for term, df in store.stories.term_df().items():
        if term == _N_DOCS:
            cl.n_docs = df
        else:
            cl.df[term] = df
    for sid, size, state in reversed(store.stories.recent(MAX_ACTIVE)):
        if state.get("merged_into"):
            cl.merged[sid] = state["merged_into"]
            continue
        cl.load(Story.from_state(sid, size, state))
    return cl


def key_actors_of(st: Story, n: int = KEY_ACTORS) -> list[str]:
    """The names most of the story's articles mention (years left out)."""
    names = [k for k, _ in sorted(st.ents.items(), key=lambda kv: (-kv[1], kv[0])) if not k.startswith("year ")]
    return [st.names.get(k, k).title() if st.names.get(k, k).islower() else st.names.get(k, k) for k in names[:n]]


def link_stories(store: Store) -> None:
    """Linker: put every article that arrived since the last run into a story."""
    last = store.link_state.last_seq("stories")
    loaded: list[Clusterer] = []  # loaded with the first arrival

    def place(art: dict) -> None:
        if not loaded:
            loaded.append(load_clusterer(store))
        _place(store, loaded[0], art)

    in_transactions(store, store.articles_since(last), place)


def _place(store: Store, cl: Clusterer, art: dict) -> None:
    """One article into its story (inside the caller's transaction)."""
    root = art.get("duplicate_of")
    root_story = store.stories.story_of(root) if root else None
    if root_story:
        store.stories.set_story(art["id"], root_story)
    else:
        f = article_features(art["text"], art.get("title"), None, day_of(art))
        sid, _, created = cl.add(f, story_id(art["id"]))
        if cl.last_merged:
            _merge_stored(store, cl.last_merged)
        _save(store, cl.stories[sid], created)
        store.stories.set_story(art["id"], sid)
        _count_terms(store, f)
    store.link_state.set_last_seq("stories", art["seq"])


# linkers whose work is per story (their progress markers in storyline/extractors.py)
INCREMENTAL_BY_STORY = ("actors", "claims", "events")


def _merge_stored(store: Store, merges: list[tuple[str, str]]) -> None:
    """A bridging article merged stories: their articles move to the surviving story, the
    absorbed one stays as an empty row that says where it went (never loaded again)."""
    moved = dict(merges)
    moved_articles = []
    for sid, ids in store.stories.members(list(moved)).items():  # the absorbed stories' articles only
        target = sid
        while target in moved:
            target = moved[target]
        for aid in ids:
            store.stories.set_story(aid, target)
            moved_articles.append(aid)
    # the incremental linkers that work per story revisit the moved articles
    for linker in INCREMENTAL_BY_STORY:
        store.link_state.mark_changed(linker, moved_articles)
    for gone, keep in merges:
        store.stories.save(gone, None, 0, {"merged_into": keep}, [], False)


def _save(store: Store, st: Story, created: bool) -> None:
    store.stories.save(st.id, st.title or None, st.size, st.to_state(), key_actors_of(st), created)


def _count_terms(store: Store, f: Features) -> None:
    store.stories.count_terms([*f.terms, *("E:" + k for k in f.ents), _N_DOCS])


def recluster(store: Store) -> int:
    """Maintenance: drop all stories and cluster every article again. Returns the number
    of stories."""
    with store.transaction():
        store.stories.clear()
        store.link_state.set_last_seq("stories", 0)
        # every story may change: the per-story linkers start again from the first article
        for linker in INCREMENTAL_BY_STORY:
            store.link_state.set_last_seq(linker, 0)
    link_stories(store)
    return len(store.stories.listing())


def stories(store: Store) -> list[dict]:
    """Stored stories in order of creation: {id, title, articles, key_actors}."""
    return store.stories.listing()
