"""The built-in extractors, one declaration each (see `storyline/registry.py`).

Order matters: the pipeline adds components in this order, and linkers run in this order
(stories need duplicates; actors and groups need stories). Adding an extractor is one
`register(Extractor(...))` here plus the modules it names; docs/architecture.md walks
through it.
"""
from __future__ import annotations

from .registry import Extractor, register

register(Extractor(
    name="metadata",
    description="article metadata recovered at ingest (title, outlet, author, date, dateline, cited outlets)",
    eval_tasks={"metadata": "storyline.eval.metadata:eval_metadata"},
))

register(Extractor(
    name="duplicates",
    description="near-duplicates and syndicated copies (MinHash LSH over shingles), source lineage",
    eval_tasks={"duplicates": "storyline.eval.duplicates:evaluate"},
    linker="storyline.link.duplicates:link_duplicates",
    link_state="duplicates",
    tables=("dup_bands",),
))

register(Extractor(
    name="stories",
    description="online story clustering and story timelines",
    sections={"stories": "storyline.outputs.stories_export:export_stories"},
    eval_tasks={"stories": "storyline.eval.stories:evaluate"},
    linker="storyline.link.stories:link_stories",
    link_state="stories",
    tables=("stories", "term_df"),
))

register(Extractor(
    name="entities",
    description="entity mentions: model NER, entity ruler, country gazetteer",
    factory="storyline_entities",
    component="storyline.components.entities",
    records="mentions",
))

register(Extractor(
    name="actors",
    description="actors linked within an article and merged across articles, with roles and types",
    factory="storyline_actors",
    component="storyline.components.actors",
    records="actors",
    sections={"entities": "storyline.outputs.entities_export:export_entities"},
    eval_tasks={"entities": "storyline.eval.entities:eval_entities"},
    linker="storyline.link.actors:link_actors",
    link_state="actors",
    tables=("entity_links", "entities", "actor_keys"),
))

register(Extractor(
    name="time",
    description="time expressions normalised against the report's own date (TIMEX3)",
    factory="storyline_time",
    component="storyline.components.time",
    records="timexes",
    sections={"timexes": "storyline.outputs.timex_export:export_timexes"},
    eval_tasks={"timex": "storyline.eval.timex:eval_timex",
                "dating": "storyline.eval.dating:eval_dating"},
    linker="storyline.link.story_dating:link_story_dates",
))

register(Extractor(
    name="quotes",
    description="direct, reported and mixed speech with speaker, cue, date and outlet told",
    factory="storyline_quotes",
    component="storyline.components.quotes",
    records="quotes",
    sections={"quotes": "storyline.outputs.quotes_export:export_quotes"},
    eval_tasks={"quotes": "storyline.eval.quotes:eval_quotes"},
))

register(Extractor(
    name="claims",
    description="numeric and dated claims; claim groups across a story with independent sources and status",
    factory="storyline_claims",
    component="storyline.components.claims",
    records="claims",
    sections={"claims": "storyline.outputs.claims_export:export_claims",
              "claim_groups": "storyline.outputs.claims_export:export_claim_groups"},
    eval_tasks={"claims": "storyline.eval.claims:eval_claims"},
    linker="storyline.link.claims:link_claims",
    link_state="claims",
    tables=("groups", "group_stories", "group_members", "group_blocks"),
))

register(Extractor(
    name="events",
    description="political events coded in PLOVER/CAMEO with actor, recipient, date, place and modes; event groups",
    factory="storyline_events",
    component="storyline.components.events",
    records="events",
    sections={"events": "storyline.outputs.events_export:export_events",
              "event_groups": "storyline.outputs.events_export:export_event_groups"},
    eval_tasks={"events": "storyline.eval.events:run"},
    linker="storyline.link.events:link_events",
    link_state="events",
    tables=("groups", "link_changes"),
))

register(Extractor(
    name="briefing",
    description="each story's summary and timeline, recomputed when the story changes and stored for the report and web UI",
    linker="storyline.link.briefing:link_briefing",
    link_state="briefing",
    tables=("story_briefs",),
    view=True,
))
