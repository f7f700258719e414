"""The command line: thin commands over the library. Typed errors become one line."""
from __future__ import annotations

import argparse
import json
import sys
from typing import Optional

from . import __version__
from .errors import Codes, StorylineError, UsageError

EPILOG = "Exit codes: 0 all inputs processed, 1 some inputs failed, 2 usage error."


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # usage errors: one line, code E001, exit 2
        self.print_usage(sys.stderr)
        print(f"storyline: {UsageError(Codes.E001, message).line()}", file=sys.stderr)
        sys.exit(2)


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="storyline", description="Evidence-backed analysis of news reports about developing stories.",
                epilog=EPILOG)
    p.add_argument("--version", action="version", version=f"storyline {__version__}")
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser)

    a = sub.add_parser("analyze", help="ingest and process articles (incremental)", epilog=EPILOG,
                       description="Read files and folders (.txt, .html, .json, .jsonl, .warc, .warc.gz; '-' for standard input), "
                                   "parse each article once, extract records and store them. Re-running skips work already done.")
    a.add_argument("paths", nargs="+", metavar="PATH")
    a.add_argument("--db", default="storyline.db", type=_db_path,
                   help="SQLite database file or postgresql:// URL (default: storyline.db)")
    a.add_argument("--workers", type=int, default=None,
                   help="worker processes for parsing (default: 1; with --engine dask: LocalCluster workers, default 2)")
    a.add_argument("--engine", choices=["local", "dask"], default="local",
                   help="where articles are parsed: this machine, or Dask workers (needs the scale extra)")
    a.add_argument("--scheduler", metavar="ADDR", default=None,
                   help="Dask scheduler address (tcp://HOST:PORT) to run on instead of a LocalCluster; implies --engine dask")
    a.add_argument("--batch-size", type=int, default=16, help="articles per spaCy batch (default: 16)")
    a.add_argument("--link-every", type=int, default=None, metavar="N",
                   help="run the linkers after every N stored articles as well as at the end, so a pass "
                        "takes in at most N new articles' records (the story briefs: every 4th pass); 0: only at the "
                        "end (default: 10000)")
    a.add_argument("--max-bytes", type=_positive_int, default=None,
                   help="refuse single inputs (files, or records of a collection) larger than this (default: 5000000)")
    a.add_argument("--wait", type=float, default=0.0, metavar="SECONDS",
                   help="when another run is writing to the database, wait this long for it (default: refuse at once, E306)")
    a.add_argument("--prune", action="store_true",
                   help="remove the articles of stored inputs under PATH that are now gone or empty")
    a.add_argument("--profile", choices=["fast", "accurate"], default="fast",
                   help="fast: the rules (default); accurate: adds a MiniLM quote tagger, slower "
                        "(needs the accurate extra; README 'Profiles')")
    a.add_argument("--quiet", action="store_true", help="no progress bar")

    e = sub.add_parser("export", help="write the storyline/1 export", description="Export the database in the storyline/1 contract.")
    e.add_argument("--db", default="storyline.db", type=_db_path)
    e.add_argument("--format", choices=["json", "jsonl", "csv", "parquet", "graphml", "plover", "cameo-csv"],
                   default="json",
                   help="parquet: one table per section into the folder -o (required); graphml: the actor graph; "
                        "plover: PLOVER-style event records; cameo-csv: events with CAMEO codes")
    e.add_argument("--section", default="articles", help="for csv: which section (articles, entities, quotes, ...)")
    e.add_argument("-o", "--output", help="output file (default: standard output)")

    r = sub.add_parser("report", help="write an HTML and Markdown briefing per story",
                       description="Write index.html plus story-*.html and story-*.md into DIR.")
    r.add_argument("--db", default="storyline.db", type=_db_path)
    r.add_argument("-o", "--output", required=True, metavar="DIR")

    v = sub.add_parser("eval", help="score the system on a data set; prints JSON metrics",
                       description="Run an evaluation task on a data set in its native format and print one JSON object.")
    v.add_argument("task", help="task name, e.g. metadata")
    v.add_argument("path", help="data set folder or file")
    v.add_argument("--details", action="store_true", help="include per-item errors in the output")
    v.add_argument("--limit", type=int, default=None, help="score only the first N documents")
    v.add_argument("--profile", choices=["fast", "accurate"], default=None,
                   help="pipeline profile for tasks that take one (quotes; default: fast)")

    sv = sub.add_parser("serve", help="browse the database in a local web UI (read-only)",
                        description="Serve the web UI: stories, story briefings with filters, entities, articles with "
                                    "their extracted spans, and full-text search. Read-only; binds 127.0.0.1 by default.")
    sv.add_argument("--db", default="storyline.db")
    sv.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1, this machine only)")
    sv.add_argument("--port", type=int, default=8765, help="port (default: 8765)")

    rc = sub.add_parser("recluster", help="maintenance: recompute all stories from scratch",
                        description="Drop every story and cluster all stored articles again, in order of "
                                    "arrival. Not needed in normal use: analyze updates stories incrementally.")
    rc.add_argument("--db", default="storyline.db", type=_db_path)
    return p


def cmd_analyze(args) -> int:
    from .engine import analyze
    from .ingest import DEFAULT_MAX_BYTES
    from .store import open_store

    if (args.workers is not None and args.workers < 1) or args.batch_size < 1:
        raise UsageError(Codes.E001, "--workers and --batch-size must be at least 1")
    if args.link_every is not None and args.link_every < 0:
        raise UsageError(Codes.E001, "--link-every must be 0 or more")
    options: dict = {"n_process": args.workers or 1}
    if args.engine == "dask" or args.scheduler:
        from .engine.dask import analyze  # type: ignore[no-redef]

        options = {"scheduler": args.scheduler, "n_workers": args.workers or 2}
    if args.link_every is not None:
        options["link_every"] = args.link_every
    if args.profile != "fast":  # the fast profile is the engines' own default pipeline
        from .pipeline import build_nlp, profile_config

        profile_config(args.profile)  # E003 before any work when the extra is missing
        if "scheduler" in options:
            options["options"] = {"profile": args.profile}
        else:
            options["nlp"] = build_nlp(profile=args.profile)
    with open_store(args.db) as store:
        summary = analyze(args.paths, store, batch_size=args.batch_size,
                          max_bytes=args.max_bytes or DEFAULT_MAX_BYTES, progress=not args.quiet,
                          on_failure=lambda f: print(f.line, file=sys.stderr), wait_s=args.wait,
                          prune=args.prune, **options)
    print(summary.lines()[0])
    return summary.exit_code


def cmd_export(args) -> int:
    from .outputs.export import FORMATS, build_export, to_csv
    from .store import open_store

    _require_db(args.db)
    if args.format == "parquet" and not args.output:
        raise UsageError(Codes.E001, "--format parquet writes one file per section: pass -o DIR")
    with open_store(args.db) as store, store.snapshot():  # one snapshot while analyze writes
        data = build_export(store)
    if args.format == "parquet":
        from .outputs.tables import write_parquet

        written = write_parquet(data, args.output)
        print(f"wrote {len(written)} table(s) to {args.output}", file=sys.stderr)
        return 0
    if args.format == "graphml":
        from .outputs.graph import actor_graph, to_graphml

        _write(to_graphml(actor_graph(data, max_nodes=None)), args.output)
        return 0
    if args.format == "csv":
        if args.section not in data or args.section == "schema":
            names = ", ".join(n for n in data if n != "schema")
            raise UsageError(Codes.E001, f"unknown section '{args.section}' (one of: {names})")
        text = to_csv(data, args.section)
    else:
        text = FORMATS[args.format](data)
    _write(text, args.output)
    return 0


def cmd_report(args) -> int:
    from .store import open_store

    _require_db(args.db)
    with open_store(args.db) as store, store.snapshot():
        written = _write_report(store, args.output)
    print(f"wrote {len(written)} file(s) to {args.output}")
    return 0


def cmd_eval(args) -> int:
    from pathlib import Path

    from .eval import run_task

    if not Path(args.path).exists():
        raise UsageError(Codes.E100, args.path)
    opts = {}
    if args.details:
        opts["details"] = True
    if args.limit is not None:
        opts["limit"] = args.limit
    if args.profile is not None:
        import inspect

        from . import registry

        task = registry.eval_tasks().get(args.task)
        if task is not None and "profile" not in inspect.signature(registry.resolve(task)).parameters:
            raise UsageError(Codes.E001, f"eval task '{args.task}' takes no --profile")
        opts["profile"] = args.profile
    print(json.dumps(run_task(args.task, args.path, **opts), indent=2))
    return 0


def cmd_serve(args) -> int:
    from .web.serve import serve

    _require_db(args.db)
    return serve(args.db, args.host, args.port)


def cmd_recluster(args) -> int:
    from .link import run_linkers
    from .link.stories import recluster
    from .store import open_store

    _require_db(args.db)
    with open_store(args.db) as store, store.writer():
        n = recluster(store)
        run_linkers(store)  # the per-story linkers (actors, groups, briefs) follow the new stories
    print(f"{n} stor{'y' if n == 1 else 'ies'}")
    return 0


def _require_db(path: str) -> None:
    from pathlib import Path

    from .store import is_url

    if is_url(path):  # a PostgreSQL server: opening it says whether it is there (E301)
        return
    if not path or not Path(path).is_file():
        raise UsageError(Codes.E301, f"no database at {path} (run `storyline analyze` first or pass --db)")


def _db_path(value: str) -> str:
    if not value.strip():
        raise argparse.ArgumentTypeError("--db needs a file name (an empty one would be a throw-away database)")
    return value


def _positive_int(value: str) -> int:
    n = int(value)
    if n <= 0:
        raise argparse.ArgumentTypeError(f"must be a positive number of bytes, not {n}")
    return n


def _write(text: str, output: Optional[str]) -> None:
    """Write to `output` through a temporary file renamed into place: a full disk or a
    killed run leaves the earlier file whole, never a truncated one (E307)."""
    if not output:
        sys.stdout.write(text)
        return
    import os
    import tempfile
    from pathlib import Path

    target = Path(output)
    tmp = None
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
        tmp = None
    except OSError as exc:
        raise StorylineError(Codes.E307, exc.strerror or str(exc), where=output) from None
    finally:
        if tmp:
            Path(tmp).unlink(missing_ok=True)


def _write_report(store, output: str) -> list:
    """`write_report` into a temporary folder beside `output` (holding links to what
    `output` already has, so the index still finds earlier exports there), then each written
    file renamed into `output`: a full disk or a killed run leaves the earlier report whole.
    OSErrors become E307."""
    import os
    import shutil
    import tempfile
    from pathlib import Path

    from .outputs.report import write_report

    target = Path(output)
    tmp = None
    try:
        target.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=".report.", dir=target.parent))
        for old in target.iterdir():
            (tmp / old.name).symlink_to(old.resolve())
        written = write_report(store, str(tmp))
        for src in written:
            os.replace(src, target / Path(src).relative_to(tmp))
        return written
    except OSError as exc:
        raise StorylineError(Codes.E307, exc.strerror or str(exc), where=output) from None
    finally:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)


COMMANDS = {"analyze": cmd_analyze, "export": cmd_export, "report": cmd_report, "eval": cmd_eval, "recluster": cmd_recluster,
            "serve": cmd_serve}


def main(argv: Optional[list[str]] = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except UsageError as exc:
        print(f"storyline: {exc.line()}", file=sys.stderr)
        return 2
    except StorylineError as exc:
        print(f"storyline: {exc.line()}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("storyline: interrupted; re-run the same command to finish", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
