"""Outputs: the storyline/1 export and the readable report."""
