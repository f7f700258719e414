"""The Dask engine (`analyze --engine dask`, or `--scheduler tcp://HOST:PORT` for a real
cluster): the per-article stage runs on Dask workers; everything else is the local engine.

`analyze` hands `local.analyze` a `RemotePipeline` in place of the spaCy pipeline. The local
engine walks and reads the inputs, gives articles their ids, skips what is stored, saves each
parsed article with its records in one transaction, marks inputs done, reports failures and
runs the linkers, exactly as it does for `--workers N`; only `nlp.pipe` is remote:

- workers load the pipeline once (`PipelinePlugin`, set up on every worker, including one the
  nanny restarts) and parse batches of articles sent as plain text;
- inputs stream: batches are cut as the input is read (`local._batches`: at most
  `batch_size` articles and `BATCH_CHARS` characters), at most `IN_FLIGHT_PER_WORKER` batches
  per worker are out at once, and results come back in input order, so the store numbers
  articles as a local run does and memory stays bounded whatever the corpus size. Results
  are fetched as batches finish (a reorder buffer of at most `AHEAD_PER_WORKER` batches per
  worker): a worker that finished is sent the next batch at once instead of waiting for an
  older batch another worker still parses;
- the parent is the one writer: workers never touch the store;
- a worker that dies mid-batch loses nothing: the scheduler runs its batches again on
  another worker, and the parent stores each result once (a batch is read from its future
  once; `save_article` skips an article already stored). A batch that keeps killing
  workers (Dask's `allowed-failures`) is retried one article at a time, and an article that
  still fails is reported E201 like a component error, without ending the run.

Workers must run one thread each (`dask worker --nthreads 1 ...`): a spaCy pipeline is not
shared between threads.
"""
from __future__ import annotations

import asyncio
import copy
import logging
from collections import deque
from contextlib import contextmanager
from typing import Iterable, Iterator, Optional

import dask.config
from distributed import Client, LocalCluster, WorkerPlugin, as_completed, get_worker

from .. import registry
from . import local

PLUGIN = "storyline-pipeline"
# Batches out at once per worker (sent and not fetched yet): two keep a worker busy while
# the parent fetches the result of the one it finished and sends the next; more only hold
# more text in memory.
IN_FLIGHT_PER_WORKER = 2
# Batches per worker not yielded yet (out, or fetched and waiting behind an older batch
# that a slower worker still parses): the bound of the reorder buffer.
AHEAD_PER_WORKER = 8
DEFAULT_LOADER = "storyline.pipeline:build_nlp"


class PipelinePlugin(WorkerPlugin):
    """Loads the pipeline once per worker process (off the worker's event loop, so it keeps
    answering the scheduler while spaCy loads)."""

    name = PLUGIN

    def __init__(self, loader: str = DEFAULT_LOADER, options: Optional[dict] = None):
        self.loader = loader
        self.options = options or {}
        self.nlp = None

    async def setup(self, worker) -> None:
        loop = asyncio.get_running_loop()
        self.nlp = await loop.run_in_executor(None, lambda: registry.resolve(self.loader)(**self.options))


def _loaded(loader: str, options: dict, dask_worker=None) -> bool:
    """On a worker: whether it holds the pipeline `loader(**options)` already."""
    plugin = dask_worker.plugins.get(PLUGIN) if dask_worker is not None else None
    return plugin is not None and plugin.nlp is not None and (plugin.loader, plugin.options) == (loader, options)


def _worker_nlp():
    return get_worker().plugins[PLUGIN].nlp


def pipeline_info() -> tuple[list[str], int]:
    """(pipe names, max length) of a worker's pipeline."""
    nlp = _worker_nlp()
    return list(nlp.pipe_names), nlp.max_length


def parse_batch(items: list[tuple[str, dict]], wanted: list[str]) -> tuple[list, list]:
    """On a worker: parse [(text, doc extensions)] and return ([(article id, {extension:
    value} for `wanted`)], [(article id, component, exception type, message)] for the
    articles a component raised on (spaCy drops those from the stream)."""
    nlp = _worker_nlp()
    raised: list[tuple] = []

    def handler(name, _proc, docs, exc):
        raised.extend((d._.storyline_article_id, name, type(exc).__name__, str(exc)) for d in docs)

    docs = []
    for text, ext in items:
        doc = nlp.make_doc(text)
        for key, value in ext.items():
            setattr(doc._, key, value)
        docs.append(doc)
    out = []
    with local.error_handler(nlp, handler):
        for doc in nlp.pipe(docs, batch_size=len(docs)):
            out.append((doc._.storyline_article_id,
                        {k: getattr(doc._, k) for k in wanted if doc.has_extension(k)}))
    return out, raised


class _Batch:
    """A batch sent to the workers: its (doc, context) items and, once fetched, the task's
    result or the exception it raised. Its future is released as soon as it is fetched
    (the result is then the parent's: a worker that dies later costs nothing)."""

    def __init__(self, batch: list, future):
        self.batch = batch
        self.future = future
        self.done = False
        self.result: Optional[tuple] = None
        self.error: Optional[BaseException] = None


def _fetch(entry: _Batch, future) -> None:
    """Read a finished batch's result (or its exception) from its future, once."""
    try:
        entry.result = future.result()
    except Exception as exc:
        entry.error = exc
    future.release()
    entry.future = None
    entry.done = True


class RemoteDoc:
    """What the local engine keeps of an article while a worker parses it: the text and the
    `doc._` values it sets before parsing, then those the worker's components assigned."""

    def __init__(self, text: str):
        self.text = text
        self._ = _Extensions()

    def has_extension(self, name: str) -> bool:
        return name in vars(self._)


class _Extensions:
    pass


class RemotePipeline:
    """A stand-in for the spaCy pipeline whose `pipe` parses on Dask workers (module doc)."""

    def __init__(self, client: Client, pipe_names: list[str], max_length: int, n_workers: int):
        self.client = client
        self.pipe_names = pipe_names
        self.max_length = max_length
        self.n_workers = max(1, n_workers)
        self.default_error_handler = None  # set by the local engine while it runs
        from ..components.context import extension

        self.wanted = [extension(e.records) for e in registry.components() if e.factory in pipe_names and e.records]
        self.wanted += [extension(f) for f in local.ARTICLE_FIELDS_FROM_DOC]

    @classmethod
    def start(cls, client: Client, loader: str = DEFAULT_LOADER, options: Optional[dict] = None) -> "RemotePipeline":
        """Load the pipeline on every worker (and on any that joins later)."""
        loaded = client.run(_loaded, loader, options or {})
        if not loaded or not all(loaded.values()):  # else every worker has it (a second run)
            client.register_plugin(PipelinePlugin(loader, options), name=PLUGIN)
        names, max_length = client.submit(pipeline_info, pure=False).result()
        return cls(client, names, max_length, len(client.scheduler_info(n_workers=-1)["workers"]))

    def make_doc(self, text: str) -> RemoteDoc:
        return RemoteDoc(text)

    def pipe(self, stream: Iterable[tuple], as_tuples: bool = True, batch_size: int = 16,
             n_process: int = 1) -> Iterator[tuple]:
        """Yield (doc, context) for each (doc, context) of `stream`, in order, parsed remotely.

        A reorder buffer: results are fetched as batches finish, in any order, and a new
        batch goes out for each one fetched, so a worker that finished never waits for an
        older batch on another worker; they are yielded in input order. At most
        `IN_FLIGHT_PER_WORKER` batches per worker are out, and at most `AHEAD_PER_WORKER`
        per worker are not yielded yet (fetched ones waiting behind an older batch)."""
        ahead: deque = deque()  # _Batch in input order, not yielded yet
        out: dict = {}  # future key -> its _Batch, not fetched yet
        finished = as_completed()
        in_flight = IN_FLIGHT_PER_WORKER * self.n_workers
        most = max(AHEAD_PER_WORKER, IN_FLIGHT_PER_WORKER) * self.n_workers

        def fetch_one() -> None:
            future = next(finished)
            _fetch(out.pop(future.key), future)

        for batch in local._batches(stream, batch_size, local.BATCH_CHARS):
            entry = _Batch(batch, self._submit(batch))
            ahead.append(entry)
            out[entry.future.key] = entry
            finished.add(entry.future)
            while len(out) >= in_flight or len(ahead) >= most:
                if ahead[0].done:
                    yield from self._collect(ahead.popleft())
                else:
                    fetch_one()
            while ahead and ahead[0].done:  # yield what is ready before reading more input
                yield from self._collect(ahead.popleft())
        while ahead:
            if not ahead[0].done:
                fetch_one()
                continue
            yield from self._collect(ahead.popleft())

    def _submit(self, batch: list):
        items = [(doc.text, dict(vars(doc._))) for doc, _ctx in batch]
        return self.client.submit(parse_batch, items, self.wanted, pure=False)

    def _collect(self, entry: "_Batch") -> Iterator[tuple]:
        """The parsed articles of a fetched batch, in order; a batch whose task failed is
        retried one article at a time, and an article that still fails is reported."""
        batch = entry.batch
        if entry.error is not None:  # a batch that cannot be parsed: retried one by one, then reported
            if len(batch) > 1:
                for item in batch:
                    single = _Batch([item], self._submit([item]))
                    _fetch(single, single.future)
                    yield from self._collect(single)
                return
            exc = entry.error
            self._raised(batch[0][0], "dask", type(exc).__name__, str(exc) or repr(exc))
            return
        results, raised = entry.result
        entry.result = None
        docs = {doc._.storyline_article_id: (doc, ctx) for doc, ctx in batch}
        for aid, name, kind, message in raised:
            if aid in docs:
                self._raised(docs[aid][0], name, kind, message)
        for aid, values in results:
            doc, ctx = docs[aid]
            for key, value in values.items():
                setattr(doc._, key, value)
            yield doc, ctx

    def _raised(self, doc: RemoteDoc, name: str, kind: str, message: str) -> None:
        """Report an article a worker could not parse through the engine's error handler,
        with the worker's exception type and message."""
        if self.default_error_handler is None:
            raise RuntimeError(f"{name}: {kind}: {message}")
        self.default_error_handler(name, None, [doc], type(kind, (Exception,), {})(message))


@contextmanager
def connect(scheduler: Optional[str] = None, n_workers: int = 2, quiet: bool = True) -> Iterator[Client]:
    """A client of the scheduler at `scheduler`, or of a LocalCluster of `n_workers` worker
    processes (one thread each) that lives as long as the block."""
    if scheduler:
        with Client(scheduler) as client:
            yield client
        return
    level = logging.ERROR if quiet else logging.WARNING
    # Dask's statistical profiler samples the task thread's stack every 10 ms on the
    # worker's event loop, holding the GIL: with spaCy's deep stacks its event-loop thread
    # used 2.5-4.5 CPU s per 120 articles more than without it, a tenth of what parsing
    # them took. Nobody reads those profiles here (no dashboard). Dask's housekeeping (event
    # loop health ticks every 20 ms, system monitors every 0.5 s, memory monitors every
    # 0.1 s) took a tenth of a core with the cluster idle (this process's event loop 5.6 %,
    # each worker's 2.2 %); at the intervals below, 1.9 % in all. The scheduler and nannies
    # here read these settings as they start; the workers (also one a nanny restarts) get
    # them from the nanny.
    overrides = {"distributed.worker.profile.enabled": False,
                 "distributed.admin.tick.interval": "500ms",
                 "distributed.admin.system-monitor.interval": "2s",
                 "distributed.worker.memory.monitor-interval": "500ms"}
    with dask.config.set(overrides):
        cluster = LocalCluster(n_workers=n_workers, threads_per_worker=1, processes=True, dashboard_address=None,
                               silence_logs=level, config=copy.deepcopy(dask.config.config))
    with cluster, Client(cluster) as client:
        yield client


def analyze(paths: Iterable[str], store, *, scheduler: Optional[str] = None, n_workers: int = 2,
            client: Optional[Client] = None, loader: str = DEFAULT_LOADER, options: Optional[dict] = None,
            **kwargs) -> local.RunSummary:
    """`local.analyze` with the per-article stage on Dask: on `client`, on the scheduler at
    `scheduler`, or on a LocalCluster of `n_workers` processes. Other keyword arguments
    (batch_size, progress, on_failure, link, wait_s, prune, ...) are the local engine's."""
    if client is None:
        with connect(scheduler, n_workers) as own:
            return analyze(paths, store, client=own, loader=loader, options=options, **kwargs)
    remote = RemotePipeline.start(client, loader, options)
    # n_process > 1: the local engine streams every article through one `pipe` call (and
    # sends long ones after the rest, as with --workers N) instead of one call per batch.
    return local.analyze(paths, store, nlp=remote, n_process=max(2, remote.n_workers), **kwargs)
