"""The local web UI over a storyline database (`storyline serve`); see `app.py`."""
