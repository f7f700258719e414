"""The local engine: stream inputs through one spaCy pipeline into the store.

Each article is parsed once (batched `nlp.pipe`, worker processes when asked) and saved
with all its records in one transaction. An input file is marked done only after its last
article is saved, so a killed run re-reads the unfinished files and skips the articles
already stored: nothing is lost and nothing is stored twice.
"""
from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Callable, Iterable, Iterator, Optional

from .. import registry
from ..components.context import extension
from ..errors import Codes, InputError
from ..ingest import DEFAULT_MAX_BYTES, InputFile, iter_input_files, read_input
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

    @property
    def exit_code(self) -> int:
        return 1 if self.failed else 0

    def lines(self) -> list[str]:
        from collections import Counter

        by_code = Counter(f.code for f in self.failed)
        reasons = f" ({', '.join(f'{c} x{n}' for c, n in sorted(by_code.items()))})" if by_code else ""
        out = [f"processed {self.processed} article(s), unchanged {self.unchanged} article(s)"
               f" and {self.unchanged_inputs} file(s), failed {len(self.failed)}{reasons}"
               + (f", removed {self.removed} old version(s) of edited inputs" if self.removed else "")]
        out += [f"  {f.line}" for f in self.failed]
        return out


@dataclass
class _Ctx:
    article: dict
    input: Optional[InputFile]  # set on the last pending article of its input file
    input_ids: list


def analyze(paths: Iterable[str], store: Store, nlp=None, n_process: int = 1,
            batch_size: int = 16, max_bytes: int = DEFAULT_MAX_BYTES, progress: bool = False,
            on_failure: Optional[Callable[[Failure], None]] = None, link: bool = True) -> RunSummary:
    """Process every input under `paths` into `store`; returns what happened."""
    summary = RunSummary()
    files = list(iter_input_files(paths))
    bar = _progress(len(files), progress)
    queued: dict[str, str] = {}
    superseded: list[str] = []  # article ids an edited input no longer yields

    def fail(err: InputError) -> None:
        store.record_failure(err.where or "-", err.code, err.line())
        f = Failure(err.where or "-", err.code, err.line())
        summary.failed.append(f)
        if on_failure:
            on_failure(f)

    def pending() -> Iterator[tuple]:
        for f in files:
            if f.error is None and f.path != "-" and store.input_unchanged(f.path, f.size, f.mtime_ns):
                summary.unchanged_inputs += 1
                bar.update(1)
                continue
            ids, todo = [], []
            if f.path != "-":
                store.clear_failures(f.path)  # what still fails is recorded again below
            for item in read_input(f, max_bytes):
                if isinstance(item, InputError):
                    fail(item)
                    continue
                ids.append(item.id)
                if store.has_article(item.id) or item.id in queued:
                    summary.unchanged += 1
                    continue
                todo.append(item)
            if f.path != "-" and not _failed_in(summary, f.path):
                superseded.extend(a for a in store.input_articles(f.path) if a not in ids)
            if not todo:
                if ids and f.path != "-" and not _failed_in(summary, f.path):
                    store.mark_input_done(f.path, f.size, f.mtime_ns, ids)
                bar.update(1)
                continue
            for i, art in enumerate(todo):
                queued[art.id] = art.path
                doc = nlp.make_doc(art.text)
                doc._.storyline_article_id = art.id
                doc._.storyline_published = art.published
                doc._.storyline_published_precision = art.published_precision
                last = i == len(todo) - 1
                yield doc, _Ctx(art.to_dict(), f if last else None, ids)

    if nlp is None:
        from ..pipeline import build_nlp
        nlp = build_nlp()
    kinds = [e.records for e in registry.components() if e.factory in nlp.pipe_names and e.records]
    done: set[str] = set()
    raised = RaisedArticles()

    def fail_raised() -> None:
        # spaCy drops a Doc whose component raised from the stream: report each one (E201)
        for aid, message in raised.take():
            if aid in queued and aid not in done:
                done.add(aid)
                fail(InputError(Codes.E201, message, where=queued[aid]))

    with error_handler(nlp, raised):
        for doc, ctx in nlp.pipe(pending(), as_tuples=True, batch_size=batch_size, n_process=n_process):
            fail_raised()
            _store(doc, ctx, kinds, store, summary, done, bar)
        fail_raised()
    for aid, where in queued.items():  # a worker process's failures are not seen by `raised`
        if aid not in done:
            fail(InputError(Codes.E201, "the NLP pipeline raised on this article", where=where))
    bar.close()
    # An edited input's old version goes once the new one is stored (its input row now
    # lists the new ids, so the old ones are held by no input). A run killed before this
    # point re-reads the input and removes them then.
    summary.removed = store.remove_articles([a for a in superseded if a not in queued])
    if link:
        # also when nothing new arrived: a run killed during linking left every input
        # marked done, and this is how the re-run finishes it (up-to-date linkers are cheap)
        from ..link import relink_all, run_linkers
        relink_all(store) if summary.removed else run_linkers(store)
    return summary


def _store(doc, ctx: _Ctx, kinds: list[str], store: Store, summary: RunSummary, done: set,
           bar) -> None:
    """Save one parsed article with its records; mark its input done after its last one."""
    records = {k: getattr(doc._, extension(k)) or [] for k in kinds}
    for key in ARTICLE_FIELDS_FROM_DOC:  # article fields that components infer
        ext = extension(key)
        if doc.has_extension(ext) and getattr(doc._, ext) is not None:
            ctx.article[key] = getattr(doc._, ext)
    if store.save_article(ctx.article, records):
        summary.processed += 1
    else:
        summary.unchanged += 1
    done.add(ctx.article["id"])
    f = ctx.input
    if f is not None:
        if f.path != "-" and not _failed_in(summary, f.path):
            if all(store.has_article(i) for i in ctx.input_ids):
                store.mark_input_done(f.path, f.size, f.mtime_ns, ctx.input_ids)
        bar.update(1)


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


def _failed_in(summary: RunSummary, path: str) -> bool:
    """Whether this run recorded a failure for the input `path` or one of its records."""
    return any(fl.where == path or fl.where.startswith(path + "#") for fl in summary.failed)


def _progress(total: int, enabled: bool):
    from tqdm import tqdm

    return tqdm(total=total, unit="file", desc="analyze", disable=not enabled or None, leave=False)
