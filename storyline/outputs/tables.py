"""The export as Parquet tables, one file per section (`articles.parquet`, `quotes.parquet`,
...), for pandas, DuckDB or R in one line: `pd.read_parquet("out/quotes.parquet")`.

Columns are the union of the section's record fields, in first-seen order. Numbers, strings
and booleans keep their type; a field that holds lists or objects (spans, speakers, a value
range) is a JSON string, as in the CSV export, so every table has a flat, stable schema
(`json.loads` or DuckDB's `json_extract` open it). An empty section is written as a table
with an `id` column and no rows, so a reader never meets a missing file.
"""
from __future__ import annotations

import json
from pathlib import Path


def _column_type(values: list):
    import pyarrow as pa

    kinds = {type(v) for v in values if v is not None}
    if not kinds:
        return pa.string(), values
    if kinds <= {bool}:
        return pa.bool_(), values
    if kinds <= {int}:
        return pa.int64(), values
    if kinds <= {int, float}:
        return pa.float64(), [None if v is None else float(v) for v in values]
    if kinds <= {str}:
        return pa.string(), values
    return pa.string(), [None if v is None else v if isinstance(v, str) else json.dumps(v, ensure_ascii=False)
                         for v in values]


def section_table(rows: list[dict]):
    import pyarrow as pa

    cols: dict[str, None] = {}
    for r in rows:
        for k in r:
            cols.setdefault(k, None)
    if not cols:
        return pa.table({"id": pa.array([], pa.string())})
    arrays, names = [], []
    for c in cols:
        typ, values = _column_type([r.get(c) for r in rows])
        arrays.append(pa.array(values, type=typ))
        names.append(c)
    return pa.table(arrays, names=names)


def write_parquet(data: dict, out_dir: str) -> list[Path]:
    """One Parquet file per section of the export `data` into `out_dir`; returns the paths."""
    import pyarrow.parquet as pq

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, rows in data.items():
        if name == "schema" or not isinstance(rows, list):
            continue
        path = out / f"{name}.parquet"
        table = section_table(rows)
        table = table.replace_schema_metadata({"schema": data.get("schema", ""), "section": name})
        pq.write_table(table, path)
        written.append(path)
    return written
