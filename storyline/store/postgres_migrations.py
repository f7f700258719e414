"""The schema migrations of `storyline/store/migrations.py`, translated for PostgreSQL.

Same versions, same tables and columns, recorded in the same `schema_migrations` table, so
a store reports the same `version` on either backend (tests/test_postgres_store.py fails
when SQLite gains a migration that has no translation here). Differences, all of them:

- text columns compare and sort bytewise (`COLLATE "C"`), as SQLite does, whatever the
  database's locale: ids, paths and ISO dates sort the same on both;
- integers that hold 63-bit hashes, sizes and nanosecond times are `BIGINT`;
- tables whose order of insertion is read back (`ORDER BY rowid` on SQLite) have an
  identity column named `rowid`;
- full-text search (migration 5) is two GIN expression indexes over `to_tsvector` instead
  of FTS5 tables and triggers: PostgreSQL keeps them up to date inside the transaction that
  writes the rows, with nothing to rebuild.

Each migration runs in one transaction with its version row, under an advisory lock, so two
processes opening a new database at once apply it once.
"""
from __future__ import annotations

from typing import Callable

T = 'TEXT COLLATE "C"'
# Text search configuration: no stemming, no stop words, like FTS5's unicode61 tokenizer.
TS_CONFIG = "simple"
# The indexed expressions (queries repeat them verbatim so the planner uses the indexes).
ARTICLE_TSV = f"to_tsvector('{TS_CONFIG}', coalesce(title, '') || ' ' || text)"
RECORD_TSV = f"to_tsvector('{TS_CONFIG}', coalesce(data::jsonb ->> 'text', ''))"
FTS_KINDS = "('quotes', 'claims')"

# Primary key and columns of each table written with SQLite's `INSERT OR REPLACE`
# (postgres.to_postgres turns it into `INSERT ... ON CONFLICT (key) DO UPDATE`).
UPSERT_KEYS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "inputs": (("path",), ("path", "size", "mtime_ns", "articles", "done_at")),
    "failures": (("path",), ("path", "code", "message", "at")),
    "entity_links": (("article", "local"), ("article", "local", "entity")),
}


def initial() -> str:
    return f"""
        CREATE TABLE articles (
            id {T} PRIMARY KEY,
            seq BIGINT NOT NULL,
            path {T} NOT NULL,
            text TEXT NOT NULL,
            title {T}, source {T}, author {T}, url {T},
            published {T}, published_precision {T}, published_estimate {T},
            dateline {T}, language {T},
            cites {T} NOT NULL DEFAULT '[]',
            format {T}, encoding {T},
            duplicate_of {T}, story {T},
            processed_at {T} NOT NULL
        );
        CREATE INDEX articles_story ON articles(story);
        CREATE UNIQUE INDEX articles_seq ON articles(seq);
        CREATE TABLE records (
            id {T} PRIMARY KEY,
            article {T} NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            kind {T} NOT NULL,
            start INTEGER, "end" INTEGER,
            data TEXT NOT NULL
        );
        CREATE INDEX records_kind ON records(kind, article);
        CREATE INDEX records_article ON records(article);
        CREATE TABLE inputs (
            path {T} PRIMARY KEY,
            size BIGINT, mtime_ns BIGINT,
            articles TEXT NOT NULL DEFAULT '[]',
            done_at {T} NOT NULL
        );
        CREATE TABLE failures (
            path {T} PRIMARY KEY,
            code {T} NOT NULL,
            message TEXT NOT NULL,
            at {T} NOT NULL
        );
    """


def links_and_stories() -> str:
    return f"""
        CREATE TABLE link_state (
            linker {T} PRIMARY KEY,
            last_seq BIGINT NOT NULL DEFAULT 0
        );
        CREATE TABLE dup_bands (
            band INTEGER NOT NULL,
            hash BIGINT NOT NULL,
            article {T} NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            PRIMARY KEY (band, hash, article)
        );
        CREATE INDEX dup_bands_article ON dup_bands(article);
        CREATE TABLE stories (
            id {T} PRIMARY KEY,
            seq BIGINT NOT NULL,
            title {T},
            size INTEGER NOT NULL DEFAULT 0,
            state TEXT NOT NULL,
            key_actors TEXT NOT NULL DEFAULT '[]',
            updated_at {T} NOT NULL
        );
        CREATE TABLE term_df (
            term {T} PRIMARY KEY,
            df INTEGER NOT NULL
        );
    """


def canonical_actors() -> str:
    return f"""
        CREATE TABLE entities (
            rowid BIGINT GENERATED ALWAYS AS IDENTITY UNIQUE,
            id {T} PRIMARY KEY,
            name {T} NOT NULL,
            type {T},
            actor_type {T},
            data TEXT NOT NULL
        );
        CREATE TABLE entity_links (
            article {T} NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            local {T} NOT NULL,
            entity {T} NOT NULL,
            PRIMARY KEY (article, local)
        );
        CREATE INDEX entity_links_entity ON entity_links(entity);
    """


def corpus_groups() -> str:
    return f"""
        CREATE TABLE groups (
            rowid BIGINT GENERATED ALWAYS AS IDENTITY UNIQUE,
            id {T} PRIMARY KEY,
            kind {T} NOT NULL,
            story {T},
            data TEXT NOT NULL
        );
        CREATE INDEX groups_kind ON groups(kind, story);
    """


def full_text_search() -> str:
    return f"""
        CREATE INDEX articles_fts ON articles USING gin ({ARTICLE_TSV});
        CREATE INDEX records_fts ON records USING gin ({RECORD_TSV}) WHERE kind IN {FTS_KINDS};
    """


def story_briefs() -> str:
    return f"""
        ALTER TABLE entities ADD COLUMN light TEXT;
        UPDATE entities SET light = (data::jsonb - 'mentions' - 'articles')::text;
        CREATE TABLE story_briefs (
            story {T} PRIMARY KEY,
            fingerprint {T} NOT NULL,
            data TEXT NOT NULL
        );
    """


def incremental_links() -> str:
    return f"""
        CREATE TABLE actor_keys (
            key {T} NOT NULL,
            article {T} NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            local {T} NOT NULL,
            PRIMARY KEY (key, article, local)
        );
        CREATE INDEX actor_keys_article ON actor_keys(article);
        CREATE TABLE link_changes (
            linker {T} NOT NULL,
            article {T} NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            PRIMARY KEY (linker, article)
        );
    """


def entity_summaries() -> str:
    return """
        ALTER TABLE entities ADD COLUMN summary TEXT;
    """


def group_state() -> str:
    return f"""
        ALTER TABLE groups ADD COLUMN pos INTEGER;
        CREATE INDEX groups_pos ON groups(kind, story, pos);
        CREATE TABLE group_stories (
            kind {T} NOT NULL,
            story {T} NOT NULL,
            clusters INTEGER NOT NULL,
            PRIMARY KEY (kind, story)
        );
        CREATE TABLE group_members (
            kind {T} NOT NULL,
            story {T} NOT NULL,
            published {T} NOT NULL,
            article {T} NOT NULL,
            start INTEGER NOT NULL,
            claim {T} NOT NULL,
            cl INTEGER NOT NULL,
            opens INTEGER NOT NULL,
            dated TEXT,
            PRIMARY KEY (kind, story, published, article, start, claim)
        );
        CREATE INDEX group_members_article ON group_members(kind, article);
        CREATE TABLE group_blocks (
            kind {T} NOT NULL,
            story {T} NOT NULL,
            block {T} NOT NULL,
            cl INTEGER NOT NULL,
            stance {T} NOT NULL,
            published {T} NOT NULL,
            article {T} NOT NULL,
            rep TEXT NOT NULL,
            PRIMARY KEY (kind, story, block, cl, stance)
        );
    """


def actor_name_probes() -> str:
    # as SQLite's migration 10: the actors linker starts again (keys `nw`/`nx` for every actor)
    return """
        DELETE FROM actor_keys;
        UPDATE link_state SET last_seq = 0 WHERE linker = 'actors';
    """


MIGRATIONS: list[tuple[int, Callable[[], str]]] = [
    (1, initial), (2, links_and_stories), (3, canonical_actors), (4, corpus_groups), (5, full_text_search),
    (6, story_briefs), (7, incremental_links), (8, entity_summaries), (9, group_state), (10, actor_name_probes),
]
