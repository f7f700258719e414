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
    a.add_argument("--db", default="storyline.db", help="SQLite database file (default: storyline.db)")
    a.add_argument("--workers", type=int, default=1, help="worker processes for parsing (default: 1)")
    a.add_argument("--batch-size", type=int, default=16, help="articles per spaCy batch (default: 16)")
    a.add_argument("--max-bytes", type=int, default=None, help="refuse single inputs larger than this (default: 5000000)")
    a.add_argument("--quiet", action="store_true", help="no progress bar")

    e = sub.add_parser("export", help="write the storyline/1 export", description="Export the database in the storyline/1 contract.")
    e.add_argument("--db", default="storyline.db")
    e.add_argument("--format", choices=["json", "jsonl", "csv"], default="json")
    e.add_argument("--section", default="articles", help="for csv: which section (articles, entities, quotes, ...)")
    e.add_argument("-o", "--output", help="output file (default: standard output)")

    r = sub.add_parser("report", help="write an HTML and Markdown briefing per story",
                       description="Write index.html plus story-*.html and story-*.md into DIR.")
    r.add_argument("--db", default="storyline.db")
    r.add_argument("-o", "--output", required=True, metavar="DIR")

    v = sub.add_parser("eval", help="score the system on a data set; prints JSON metrics",
                       description="Run an evaluation task on a data set in its native format and print one JSON object.")
    v.add_argument("task", help="task name, e.g. metadata")
    v.add_argument("path", help="data set folder or file")
    v.add_argument("--details", action="store_true", help="include per-item errors in the output")
    v.add_argument("--limit", type=int, default=None, help="score only the first N documents")

    rc = sub.add_parser("recluster", help="maintenance: recompute all stories from scratch",
                        description="Drop every story and cluster all stored articles again, in order of "
                                    "arrival. Not needed in normal use: analyze updates stories incrementally.")
    rc.add_argument("--db", default="storyline.db")
    return p


def cmd_analyze(args) -> int:
    from .engine import analyze
    from .ingest import DEFAULT_MAX_BYTES
    from .store import open_store

    if args.workers < 1 or args.batch_size < 1:
        raise UsageError(Codes.E001, "--workers and --batch-size must be at least 1")
    with open_store(args.db) as store:
        summary = analyze(args.paths, store, n_process=args.workers, batch_size=args.batch_size,
                          max_bytes=args.max_bytes or DEFAULT_MAX_BYTES, progress=not args.quiet,
                          on_failure=lambda f: print(f.line, file=sys.stderr))
    print(summary.lines()[0])
    return summary.exit_code


def cmd_export(args) -> int:
    from .outputs.export import FORMATS, build_export, to_csv
    from .store import open_store

    _require_db(args.db)
    with open_store(args.db) as store:
        data = build_export(store)
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
    from .outputs.report import write_report
    from .store import open_store

    _require_db(args.db)
    with open_store(args.db) as store:
        written = write_report(store, args.output)
    print(f"wrote {len(written)} file(s) to {args.output}")
    return 0


def cmd_eval(args) -> int:
    from .eval import run_task

    opts = {}
    if args.details:
        opts["details"] = True
    if args.limit is not None:
        opts["limit"] = args.limit
    print(json.dumps(run_task(args.task, args.path, **opts), indent=2))
    return 0


def cmd_recluster(args) -> int:
    from .link.stories import recluster
    from .store import open_store

    _require_db(args.db)
    with open_store(args.db) as store:
        n = recluster(store)
    print(f"{n} stor{'y' if n == 1 else 'ies'}")
    return 0


def _require_db(path: str) -> None:
    from pathlib import Path

    if not Path(path).exists():
        raise UsageError(Codes.E301, f"no database at {path} (run `storyline analyze` first or pass --db)")


def _write(text: str, output: Optional[str]) -> None:
    if output:
        from pathlib import Path

        Path(output).parent.mkdir(parents=True, exist_ok=True)
        Path(output).write_text(text, "utf-8")
    else:
        sys.stdout.write(text)


COMMANDS = {"analyze": cmd_analyze, "export": cmd_export, "report": cmd_report, "eval": cmd_eval, "recluster": cmd_recluster}


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
