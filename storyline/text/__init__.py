"""Plain-text helpers shared across packages: dateline patterns, calendar and number words,
the span record. No spaCy here (ingest and the linkers import these too)."""
