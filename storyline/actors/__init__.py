"""Actors: the gazetteer, the entity ruler's rules, roles, actor types, within-article
linking and the cross-article merge. The spaCy components that use them live in
storyline/components/ (entities.py, actors.py); the corpus linker in storyline/link/actors.py.
See docs/actors.md."""
