"""Versioned schema migrations, applied in order and recorded in `schema_migrations`.

Add a migration by appending a function decorated with `@migration(N)`; never edit one
that has shipped.
"""
from __future__ import annotations

import sqlite3
from typing import Callable

MIGRATIONS: list[tuple[int, Callable[[], str]]] = []


def migration(version: int):
    """Register a function returning the SQL script of schema version `version`."""
    def register(fn):
        MIGRATIONS.append((version, fn))
        MIGRATIONS.sort(key=lambda m: m[0])
        return fn

    return register


@migration(1)
def initial() -> str:
    return (
        """
        CREATE TABLE articles (
            id TEXT PRIMARY KEY,
            seq INTEGER NOT NULL,             -- order of arrival, for incremental linking
            path TEXT NOT NULL,
            text TEXT NOT NULL,
            title TEXT, source TEXT, author TEXT, url TEXT,
            published TEXT, published_precision TEXT, published_estimate TEXT,
            dateline TEXT, language TEXT,
            cites TEXT NOT NULL DEFAULT '[]',
            format TEXT, encoding TEXT,
            duplicate_of TEXT, story TEXT,
            processed_at TEXT NOT NULL
        );
        CREATE INDEX articles_story ON articles(story);
        CREATE TABLE records (
            id TEXT PRIMARY KEY,
            article TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            kind TEXT NOT NULL,
            start INTEGER, "end" INTEGER,
            data TEXT NOT NULL
        );
        CREATE INDEX records_kind ON records(kind, article);
        CREATE TABLE inputs (
            path TEXT PRIMARY KEY,
            size INTEGER, mtime_ns INTEGER,
            articles TEXT NOT NULL DEFAULT '[]',
            done_at TEXT NOT NULL
        );
        CREATE TABLE failures (
            path TEXT PRIMARY KEY,
            code TEXT NOT NULL,
            message TEXT NOT NULL,
            at TEXT NOT NULL
        );
        """
    )


def current_version(conn: sqlite3.Connection) -> int:
    conn.execute("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)")
    row = conn.execute("SELECT MAX(version) FROM schema_migrations").fetchone()
    return row[0] or 0


def migrate(conn: sqlite3.Connection) -> int:
    """Apply pending migrations, each atomically with its version row. Returns the version."""
    version = current_version(conn)
    for v, fn in MIGRATIONS:
        if v <= version:
            continue
        # executescript commits anything pending first, so the script carries its own
        # transaction: a kill mid-migration leaves the previous version intact.
        try:
            conn.executescript(f"BEGIN;\n{fn()}\nINSERT INTO schema_migrations VALUES ({int(v)}, datetime('now'));\nCOMMIT;")
        except (sqlite3.OperationalError, sqlite3.IntegrityError):
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            # two connections opening a new file at once both read the old version: the one
            # that lost the race finds the migration applied by the other (its script failed
            # on a table that exists, or, for a script that only changes rows, on the version
            # row), and goes on
            if current_version(conn) < v:
                raise
        version = v
    return version


@migration(2)
def links_and_stories() -> str:
    """Corpus linking state: LSH bands for duplicates, stories and their centroids, term
    document frequencies for TF-IDF, and how far each incremental linker has got."""
    return (
        """
        CREATE TABLE link_state (
            linker TEXT PRIMARY KEY,
            last_seq INTEGER NOT NULL DEFAULT 0
        );
        CREATE TABLE dup_bands (
            band INTEGER NOT NULL,
            hash INTEGER NOT NULL,
            article TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            PRIMARY KEY (band, hash, article)
        ) WITHOUT ROWID;
        CREATE INDEX dup_bands_article ON dup_bands(article);
        CREATE TABLE stories (
            id TEXT PRIMARY KEY,
            seq INTEGER NOT NULL,             -- order of creation
            title TEXT,
            size INTEGER NOT NULL DEFAULT 0,
            state TEXT NOT NULL,              -- JSON: centroid terms, entities, dates
            key_actors TEXT NOT NULL DEFAULT '[]',
            updated_at TEXT NOT NULL
        );
        CREATE TABLE term_df (
            term TEXT PRIMARY KEY,
            df INTEGER NOT NULL
        ) WITHOUT ROWID;
        """
    )


@migration(3)
def canonical_actors() -> str:
    """Canonical actors across articles (storyline/link/actors.py) and which article-local
    entity (an `actors` record's `local` id) belongs to which."""
    return (
        """
        CREATE TABLE entities (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            type TEXT,
            actor_type TEXT,
            data TEXT NOT NULL                -- JSON: aliases, roles, articles, mentions, ...
        );
        CREATE TABLE entity_links (
            article TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            local TEXT NOT NULL,
            entity TEXT NOT NULL,
            PRIMARY KEY (article, local)
        ) WITHOUT ROWID;
        CREATE INDEX entity_links_entity ON entity_links(entity);
        """
    )


@migration(4)
def corpus_groups() -> str:
    """Groups that linkers compute across a story's articles (claim groups, event groups):
    one row per group, its kind, its story and the group itself as JSON."""
    return (
        """
        CREATE TABLE groups (
            id TEXT PRIMARY KEY,
            kind TEXT NOT NULL,
            story TEXT,
            data TEXT NOT NULL
        );
        CREATE INDEX groups_kind ON groups(kind, story);
        """
    )


@migration(5)
def full_text_search() -> str:
    """Full-text search (SQLite FTS5) over articles (title and text) and over the text of
    quotes and claims, kept up to date by triggers inside the same transaction that saves or
    removes an article: an incremental `analyze` needs no rebuild, a killed run leaves the
    index consistent with the rows, and `remove_articles` (cascading to records) drops their
    entries. Article text is not stored twice (`articles_fts` reads it from `articles`);
    record text is (it sits inside JSON). The index rowids are the tables' own rowids.
    Rows stored before this migration are indexed by it."""
    return (
        """
        CREATE VIRTUAL TABLE articles_fts USING fts5(
            title, text, content='articles', content_rowid='rowid', tokenize='unicode61 remove_diacritics 2');
        CREATE VIRTUAL TABLE records_fts USING fts5(
            text, kind UNINDEXED, tokenize='unicode61 remove_diacritics 2');
        CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN
            INSERT INTO articles_fts (rowid, title, text) VALUES (new.rowid, new.title, new.text);
        END;
        CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
            INSERT INTO articles_fts (articles_fts, rowid, title, text) VALUES ('delete', old.rowid, old.title, old.text);
        END;
        CREATE TRIGGER articles_fts_update AFTER UPDATE OF title, text ON articles BEGIN
            INSERT INTO articles_fts (articles_fts, rowid, title, text) VALUES ('delete', old.rowid, old.title, old.text);
            INSERT INTO articles_fts (rowid, title, text) VALUES (new.rowid, new.title, new.text);
        END;
        CREATE TRIGGER records_fts_insert AFTER INSERT ON records WHEN new.kind IN ('quotes', 'claims') BEGIN
            INSERT INTO records_fts (rowid, text, kind) VALUES (new.rowid, json_extract(new.data, '$.text'), new.kind);
        END;
        CREATE TRIGGER records_fts_delete AFTER DELETE ON records WHEN old.kind IN ('quotes', 'claims') BEGIN
            DELETE FROM records_fts WHERE rowid = old.rowid;
        END;
        INSERT INTO articles_fts (rowid, title, text) SELECT rowid, title, text FROM articles;
        INSERT INTO records_fts (rowid, text, kind)
            SELECT rowid, json_extract(data, '$.text'), kind FROM records WHERE kind IN ('quotes', 'claims');
        """
    )


@migration(6)
def story_briefs() -> str:
    """Each story's briefing products (summary, timeline), computed by the briefing linker
    (storyline/link/briefing.py) when the story's articles change, so a page or report reads
    them instead of recomputing them. `fingerprint` says which state of the story they were
    computed from (members, their originals, their actors' links).

    For the entity page: `entities.light`, the entity without the lists that grow with the
    corpus (`mentions`, `articles`), written beside `data` by the actors linker, so reading an
    actor named in every article does not parse its every mention; and an index on
    `articles.seq`, so the latest articles of such an actor are found walking back from the
    newest instead of sorting all of them."""
    return (
        """
        ALTER TABLE entities ADD COLUMN light TEXT;
        UPDATE entities SET light = json_remove(data, '$.mentions', '$.articles');
        CREATE INDEX articles_seq ON articles(seq);
        CREATE TABLE story_briefs (
            story TEXT PRIMARY KEY,
            fingerprint TEXT NOT NULL,
            data TEXT NOT NULL                -- JSON: articles, summary, timeline
        );
        """
    )


@migration(7)
def incremental_links() -> str:
    """What the linkers need to cost what arrived, not the corpus (issue 15).

    `actor_keys`: every key through which the actor merge lets an article-local actor meet
    another (a gazetteer key, a normalised name, a full name or a run of one, a surname, a
    place-name prefix; `storyline.actors.merge.touch_keys`), so a new article's actors find
    the stored actors they can join without reading the others. `link_changes`: articles
    whose canonical actors one linker changed for another to redo (the actors linker marks
    the articles whose entity or entity name moved; the event groups read and clear them)."""
    return (
        """
        CREATE TABLE actor_keys (
            key TEXT NOT NULL,
            article TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            local TEXT NOT NULL,
            PRIMARY KEY (key, article, local)
        ) WITHOUT ROWID;
        CREATE INDEX actor_keys_article ON actor_keys(article);
        CREATE TABLE link_changes (
            linker TEXT NOT NULL,
            article TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            PRIMARY KEY (linker, article)
        ) WITHOUT ROWID;
        """
    )


@migration(8)
def entity_summaries() -> str:
    """Hub actors cost what arrived (issue 15). `entities.summary`: what the canonical entity
    is computed from (counts of names, types and actor types, the gazetteer key, first-seen
    aliases, surface forms, roles, facets; `storyline.actors.merge.summary_add`), so an
    article naming a country joins it by updating these counts, without reading the
    country's other mentions. An entity row written from now on holds no `mentions` or
    `articles`: they are assembled from `entity_links` and the articles' `actors` records
    when the entities are read whole (`ActorTables.entities`). Rows written before keep
    theirs and have no summary: the linker re-merges such an entity the first time an
    article reaches it."""
    return (
        """
        ALTER TABLE entities ADD COLUMN summary TEXT;
        """
    )


@migration(9)
def group_state() -> str:
    """Claim groups of a long story updated from what arrived (`link/claims.py`,
    `claims/groups.py: replay_story`). `groups.pos`: the group's cluster, in order of
    creation inside its story. The clustering state a story needs to take more claims as a whole
    regroup would: `group_stories` (its count of clusters), `group_members` (each claim's
    place in the clustering order and its cluster) and `group_blocks` (per block, cluster
    and stance the member that stands for the rest, with what `_same_thing` reads of it)."""
    return (
        """
        ALTER TABLE groups ADD COLUMN pos INTEGER;
        CREATE INDEX groups_pos ON groups(kind, story, pos);
        CREATE TABLE group_stories (
            kind TEXT NOT NULL,
            story TEXT NOT NULL,
            clusters INTEGER NOT NULL,
            PRIMARY KEY (kind, story)
        ) WITHOUT ROWID;
        CREATE TABLE group_members (
            kind TEXT NOT NULL,
            story TEXT NOT NULL,
            published TEXT NOT NULL,
            article TEXT NOT NULL,
            start INTEGER NOT NULL,
            claim TEXT NOT NULL,
            cl INTEGER NOT NULL,             -- its cluster (`groups.pos`)
            opens INTEGER NOT NULL,          -- 1: the claim started its cluster
            dated TEXT,                      -- JSON [start, end, value]: a story-dated date it was grouped with
            PRIMARY KEY (kind, story, published, article, start, claim)
        ) WITHOUT ROWID;
        CREATE INDEX group_members_article ON group_members(kind, article);
        CREATE TABLE group_blocks (
            kind TEXT NOT NULL,
            story TEXT NOT NULL,
            block TEXT NOT NULL,
            cl INTEGER NOT NULL,
            stance TEXT NOT NULL,
            published TEXT NOT NULL,
            article TEXT NOT NULL,
            rep TEXT NOT NULL,               -- JSON: the member's fields `_same_thing` reads, its key words
            PRIMARY KEY (kind, story, block, cl, stance)
        ) WITHOUT ROWID;
        """
    )


@migration(10)
def actor_name_probes() -> str:
    """The actors linker places a one-word person whose story names no full name of its
    surname without reading that surname's other actors (stop 22): it asks `actor_keys` for
    the places and organisations of that name (keys `nw`/`nx`, `merge.probe_keys`), which rows
    indexed before do not hold. So the actors linker starts again from the first article: its
    keys are emptied and its progress set back, and the next run merges every actor record
    once and replaces the stored entities and links (the same entities and ids as before).
    Until then readers still show the stored entities."""
    return (
        """
        DELETE FROM actor_keys;
        UPDATE link_state SET last_seq = 0 WHERE linker = 'actors';
        """
    )
