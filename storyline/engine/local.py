"""The local engine: stream inputs through one spaCy pipeline into the store.

Each article is parsed once (batched `nlp.pipe`, worker processes when asked) and saved
with all its records, up to `WRITE_BATCH` articles per transaction. Articles go to the
pipeline as their input is read (a JSONL or WARC file streams record by record), in bounded
batches, so memory does not grow with the size of an input. An input file is marked done
only after it has been read to its end and its last article is saved, so a killed run
re-reads the unfinished files and skips the articles already stored (by id, without
parsing them again): nothing is lost and nothing is stored twice.
"""
from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Callable, Iterable, Iterator, Optional

from .. import registry
from ..components.context import extension
from ..errors import Codes, InputError
from ..ingest import DEFAULT_MAX_BYTES, InputFile, iter_input_files, read_input
from ..ingest.article import input_of, salted_id
from ..ingest.walk import MAX_ARTICLE_CHARS, display_path
from ..store import Store


# Article fields a component may set on the Doc (`doc._.storyline_<field>`, e.g. the time
# component's estimate of an undated report's publication window); copied onto the article
# before it is stored.
ARTICLE_FIELDS_FROM_DOC = ("published_estimate",)


@dataclass
class Failure:
    where: str
    code: str
    line: str


@dataclass
class RunSummary:
    processed: int = 0  # articles parsed and stored in this run
    removed: int = 0  # old versions of edited inputs removed in this run
    unchanged: int = 0  # articles already in the store
    unchanged_inputs: int = 0  # input files skipped because size and mtime are unchanged
    failed: list = field(default_factory=list)  # Failure
    stale: list = field(default_factory=list)  # stored inputs now gone or empty
    pruned: Optional[int] = None  # articles of stale inputs removed (when asked to prune)
    link_passes: int = 0  # times the linkers ran during the run, before the pass at its end

    @property
    def exit_code(self) -> int:
        return 1 if self.failed else 0

    def lines(self) -> list[str]:
        from collections import Counter

        by_code = Counter(f.code for f in self.failed)
        reasons = f" ({', '.join(f'{c} x{n}' for c, n in sorted(by_code.items()))})" if by_code else ""
        out = [f"processed {self.processed} article(s), unchanged {self.unchanged} article(s)"
               f" and {self.unchanged_inputs} file(s), failed {len(self.failed)}{reasons}"
               + (f", removed {self.removed} old version(s) of edited inputs" if self.removed else "")
               + self._stale_note()]
        out += [f"  {f.line}" for f in self.failed]
        return out

    def _stale_note(self) -> str:
        if not self.stale:
            return ""
        if self.pruned is not None:
            return f", pruned {len(self.stale)} gone or empty input(s) ({self.pruned} article(s))"
        return (f", {len(self.stale)} stored input(s) now gone or empty keep their articles"
                " (--prune removes them)")


@dataclass
class _InputRun:
    """One input while its articles stream through the pipeline."""

    input: InputFile
    ids: list = field(default_factory=list)  # every article id it yields, in order
    seen: set = field(default_factory=set)  # the same ids, to look up
    left: int = 0  # articles sent to the pipeline and not stored yet
    read: bool = False  # read to its end
    failed: bool = False  # this run recorded a failure for it or one of its records

    def add(self, article_id: str) -> None:
        self.ids.append(article_id)
        self.seen.add(article_id)


@dataclass
class _Ctx:
    article: dict
    run: _InputRun


# Articles are parsed in batches of at most `batch_size` articles and at most this many
# characters (memory grows with the characters in a batch: 100k characters take ~350 MB,
# see MAX_ARTICLE_CHARS); with worker processes, longer articles are parsed one at a time
# in the parent, so no worker holds more than one batch of short ones. They wait until the
# stream ends, or until this many characters of them wait (ten of the longest articles:
# memory stays bounded on an input of any size).
BATCH_CHARS = 100_000
SOLO_CHARS = 20_000
DEFERRED_CHARS = 1_000_000
# Parsed articles saved per transaction: with one commit per article, COMMIT was about a
# third of `save_article`'s time; 32 per transaction take 13-20 % less of the writer's CPU
# (docs/scale.md). A kill loses at most this many parsed articles, which the re-run parses
# again (their input is not marked done before they are committed).
WRITE_BATCH = 32
# Link every this many stored articles during a run, not only at its end: the linkers'
# memory grows with what arrived since they last ran (a first pass over 10,000 generated
# articles peaked at 1.3 GB), so a run over a corpus of any size stays bounded. Linking is
# incremental, so the result is the same as linking once at the end (docs/scale.md).
LINK_EVERY = 10_000
# Of those passes, every this many also brings the view linkers up to date (the briefs: no
# later linker reads them, and a long story that gains articles in every pass would be
# briefed whole each time); the pass at the run's end always does. So a run that never ends
# (a stream on standard input) still refreshes its briefs every VIEW_EVERY * N articles,
# and a reader meanwhile computes an outdated story's summary itself.
VIEW_EVERY = 4


def analyze(paths: Iterable[str], store: Store, nlp=None, n_process: int = 1,
            batch_size: int = 16, max_bytes: int = DEFAULT_MAX_BYTES, progress: bool = False,
            on_failure: Optional[Callable[[Failure], None]] = None, link: bool = True,
            wait_s: float = 0.0, prune: bool = False, link_every: int = LINK_EVERY) -> RunSummary:
    """Process every input under `paths` into `store`; returns what happened. One writer
    at a time: another run on the same database makes this one wait up to `wait_s`
    seconds, then raise StoreError E306. `prune` removes the articles of stored inputs
    under `paths` that are now gone or empty. With `link`, the linkers run after every
    `link_every` stored articles (0: only at the end) and at the end."""
    paths = list(paths)
    with store.writer(wait_s):
        return _analyze(paths, store, nlp, n_process, batch_size, max_bytes, progress, on_failure,
                        link, prune, link_every)


def _analyze(paths: list[str], store: Store, nlp, n_process: int, batch_size: int, max_bytes: int,
             progress: bool, on_failure, link: bool, prune: bool, link_every: int) -> RunSummary:
    summary = RunSummary()
    unlinked = 0  # articles stored since the linkers last ran
    files = list(iter_input_files(paths))
    bar = _progress(len(files), progress)
    # articles sent to the pipeline and not stored yet: id -> context (path, input)
    inflight: dict[str, _Ctx] = {}
    superseded: list[tuple[str, str]] = []  # (input, article id) an edited input no longer yields
    deferred: list[tuple] = []  # long articles parsed one at a time (worker runs)
    emptied: set[str] = set()

    def fail(err: InputError, run: Optional[_InputRun] = None) -> None:
        if run is not None:
            run.failed = True
        store.record_failure(err.where or "-", err.code, err.line())
        f = Failure(err.where or "-", err.code, err.line())
        summary.failed.append(f)
        if on_failure:
            on_failure(f)

    def claim(item, run: _InputRun) -> Optional[dict]:
        """Give `item` its id (salted when another input holds the same text) and return
        the stored article with that id, if any."""
        held = inflight[item.id].article["path"] if item.id in inflight else None
        stored = store.article(item.id) if held is None else None
        held = held or (stored["path"] if stored else None)
        if item.id in run.seen or (held is not None and input_of(held) != input_of(item.path)):
            item.id = salted_id(item.id, item.path)
            if item.id in inflight:
                return {"path": inflight[item.id].article["path"]}
            return store.article(item.id)
        return stored if held is None or stored else {"path": held}

    def pending() -> Iterator[tuple]:
        for f in files:
            if f.error is None and f.path != "-" and store.input_unchanged(f.path, f.size, f.mtime_ns):
                summary.unchanged_inputs += 1
                bar.update(1)
                continue
            run = _InputRun(f)
            if f.path != "-":
                store.clear_failures(f.path)  # what still fails is recorded again below
            for item in read_input(f, max_bytes):  # streams: one record at a time
                if isinstance(item, InputError):
                    if item.code == Codes.E102 and item.where == f.path:
                        emptied.add(f.path)
                    fail(item, run)
                    continue
                if len(item.text) > min(nlp.max_length, MAX_ARTICLE_CHARS):  # spaCy's E088
                    fail(InputError(Codes.E105, f"{len(item.text):,} characters", where=item.path), run)
                    continue
                known = claim(item, run)
                run.add(item.id)
                if known is not None:  # stored already: skipped by id, not parsed again
                    summary.unchanged += 1
                    if item.id not in inflight:
                        store.set_article_path(item.id, item.path)  # an edited JSONL moves records
                    continue
                doc = nlp.make_doc(item.text)
                doc._.storyline_article_id = item.id
                doc._.storyline_published = item.published
                doc._.storyline_published_precision = item.published_precision
                ctx = _Ctx(item.to_dict(), run)
                inflight[item.id] = ctx
                run.left += 1
                if n_process > 1 and len(item.text) > SOLO_CHARS:
                    deferred.append((doc, ctx))
                    if sum(len(d.text) for d, _ in deferred) > DEFERRED_CHARS:
                        parse_deferred()
                else:
                    yield doc, ctx
            run.read = True
            if f.path != "-" and not run.failed:
                superseded.extend((f.path, a) for a in store.input_articles(f.path) if a not in run.seen)
            if run.left == 0:
                finish(run)

    def finish(run: _InputRun) -> None:
        """The input is read to its end and its last article is stored: mark it done."""
        f = run.input
        if f.path != "-" and run.ids and not run.failed and all(store.has_article(i) for i in run.ids):
            store.mark_input_done(f.path, f.size, f.mtime_ns, run.ids)
        bar.update(1)

    if nlp is None:
        from ..pipeline import build_nlp
        nlp = build_nlp()
    kinds = [e.records for e in registry.components() if e.factory in nlp.pipe_names and e.records]
    raised = RaisedArticles()

    # parsed articles waiting to be saved: up to WRITE_BATCH of them go in one transaction;
    # an input is marked done only after the transaction that holds its last article has
    # committed
    unsaved: list[tuple[_Ctx, dict]] = []

    def flush() -> None:
        nonlocal unlinked
        if not unsaved:
            return
        with store.transaction():
            for ctx, records in unsaved:
                _save(ctx, records, store, summary)
        done = [ctx for ctx, _ in unsaved]
        unsaved.clear()
        for ctx in done:
            inflight.pop(ctx.article["id"], None)
            settle(ctx)
        unlinked += len(done)
        if link and link_every and unlinked >= link_every:
            from ..link import run_linkers
            summary.link_passes += 1
            run_linkers(store, views=summary.link_passes % VIEW_EVERY == 0)
            unlinked = 0

    def fail_raised() -> None:
        # spaCy drops a Doc whose component raised from the stream: report each one (E201)
        failed = raised.take()
        if failed:
            flush()  # settle in order: an input's last article may be waiting to be saved
        for aid, message in failed:
            ctx = inflight.pop(aid, None)
            if ctx is not None:
                fail(InputError(Codes.E201, message, where=ctx.article["path"]), ctx.run)
                settle(ctx)

    def parse(stream, n: int, size: int) -> None:
        for doc, ctx in nlp.pipe(stream, as_tuples=True, batch_size=size, n_process=n):
            fail_raised()
            unsaved.append((ctx, _records(doc, ctx, kinds)))
            if len(unsaved) >= WRITE_BATCH:
                flush()
        flush()
        fail_raised()

    def settle(ctx: _Ctx) -> None:
        """One article of the input is stored (or failed): finish the input after its last."""
        ctx.run.left -= 1
        if ctx.run.read and ctx.run.left == 0:
            finish(ctx.run)

    def parse_deferred() -> None:
        while deferred:
            parse([deferred.pop(0)], 1, 1)

    with error_handler(nlp, raised):
        if n_process > 1:
            with workers_follow_parent():
                parse(pending(), n_process, batch_size)
        else:
            for batch in _batches(pending(), batch_size, BATCH_CHARS):
                parse(batch, 1, len(batch))
        parse_deferred()
    for ctx in inflight.values():  # a worker process's failures are not seen by `raised`
        fail(InputError(Codes.E201, "the NLP pipeline raised on this article", where=ctx.article["path"]), ctx.run)
    bar.close()
    # An edited input's old version goes once the new one is stored (its input row now
    # lists the new ids, so the old ones are held by no input). A run killed before this
    # point re-reads the input and removes them then. An article whose stored path is now
    # another input's is not this input's to remove.
    summary.removed = store.remove_articles([a for p, a in superseded if _stored_under(store, a, p)])
    summary.stale = _stale_inputs(store, paths, {f.path for f in files}, emptied)
    if prune:
        summary.pruned = sum(store.forget_input(p) for p in summary.stale)
    if link:
        # also when nothing new arrived: a run killed during linking left every input
        # marked done, and this is how the re-run finishes it (up-to-date linkers are cheap)
        from ..link import relink_all, run_linkers
        relink_all(store) if summary.removed or summary.pruned else run_linkers(store)
    return summary


def _batches(stream, size: int, max_chars: int) -> Iterator[list]:
    """Lists of at most `size` items and (unless one item alone is longer) `max_chars`."""
    batch: list = []
    chars = 0
    for item in stream:
        n = len(item[0].text)
        if batch and (len(batch) >= size or chars + n > max_chars):
            yield batch
            batch, chars = [], 0
        batch.append(item)
        chars += n
    if batch:
        yield batch


def _stale_inputs(store: Store, paths: list[str], seen: set[str], emptied: set[str]) -> list[str]:
    """Stored inputs under `paths` that this run found gone (not walked) or empty."""
    import os

    roots = [display_path(os.path.normpath(p)) for p in paths if p != "-"]
    out = []
    for p in store.input_paths():
        under = any(p == r or p.startswith(r.rstrip(os.sep) + os.sep) for r in roots)
        if under and (p not in seen or p in emptied):
            out.append(p)
    return out


_FOLLOW = {"on": False, "parent": 0}
_AT_FORK_REGISTERED = []


def _die_with_parent() -> None:
    """In a forked worker: have the kernel SIGKILL it when the parent dies (Linux prctl
    PR_SET_PDEATHSIG), so a killed `analyze --workers N` leaves no worker running."""
    if not _FOLLOW["on"]:
        return
    import ctypes
    import os
    import signal

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, int(signal.SIGKILL), 0, 0, 0)  # 1 = PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # not Linux: workers end when their queue closes
        return
    if os.getppid() != _FOLLOW["parent"]:  # the parent died before prctl took effect
        os._exit(1)


@contextmanager
def workers_follow_parent():
    """While inside, processes forked by this one (spaCy's workers) die with it."""
    import os

    if not _AT_FORK_REGISTERED and hasattr(os, "register_at_fork"):
        os.register_at_fork(after_in_child=_die_with_parent)
        _AT_FORK_REGISTERED.append(True)
    _FOLLOW.update(on=True, parent=os.getpid())
    try:
        yield
    finally:
        _FOLLOW["on"] = False


def _records(doc, ctx: _Ctx, kinds: list[str]) -> dict[str, list[dict]]:
    """One parsed article's records (and the article fields components inferred, set on
    `ctx.article`), ready to save without the Doc."""
    records = {k: getattr(doc._, extension(k)) or [] for k in kinds}
    for key in ARTICLE_FIELDS_FROM_DOC:  # article fields that components infer
        ext = extension(key)
        if doc.has_extension(ext) and getattr(doc._, ext) is not None:
            ctx.article[key] = getattr(doc._, ext)
    return records


def _save(ctx: _Ctx, records: dict[str, list[dict]], store: Store, summary: RunSummary) -> None:
    """Save one parsed article with its records (inside the caller's transaction)."""
    if store.save_article(ctx.article, records):
        summary.processed += 1
    else:
        summary.unchanged += 1


def _stored_under(store: Store, article_id: str, path: str) -> bool:
    art = store.article(article_id)
    return art is not None and (art["path"] == path or art["path"].startswith(path + "#"))


class RaisedArticles:
    """The pipeline's error handler while the engine runs: remembers (article id, message
    naming the component) for each Doc whose component raised. spaCy then drops that Doc
    from the `nlp.pipe` stream; the engine reports it as failed (E201) and keeps the rest."""

    def __init__(self):
        self._raised: list[tuple[str, str]] = []

    def __call__(self, name: str, proc, docs: list, exc: Exception) -> None:
        for doc in docs:
            self._raised.append((doc._.storyline_article_id, f"{name}: {type(exc).__name__}: {exc}"))

    def take(self) -> list[tuple[str, str]]:
        out, self._raised = self._raised, []
        return out


@contextmanager
def error_handler(nlp, handler):
    """Let `handler` take the exceptions of the pipeline's function components (storyline's
    own) for the duration, then restore the one it had: a plain spaCy user of the same `nlp`
    sees exceptions again. (`nlp.set_error_handler` would also set it on the model's
    components, but spaCy 3.8's parser cannot hold one; a model failure still ends the run.)"""
    before = nlp.default_error_handler
    nlp.default_error_handler = handler
    try:
        yield handler
    finally:
        nlp.default_error_handler = before


def _progress(total: int, enabled: bool):
    from tqdm import tqdm

    return tqdm(total=total, unit="file", desc="analyze", disable=not enabled or None, leave=False)
