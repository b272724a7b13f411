"""Many articles at once: local worker processes, or a Dask cluster, with results in input order.

    process(articles, workers=4)                   # a local process pool, model loaded once per worker
    process(articles, dask="local", workers=4)     # a Dask LocalCluster of 4 single-threaded workers
    process(articles, dask="tcp://host:8786")      # an existing Dask scheduler
    process(articles, dask="sync")                 # Dask's synchronous scheduler, in this process

The unit of work is a chunk of ``chunk_size`` articles: a chunk goes to a worker, its Documents
come back. Each worker process keeps one ``Pipeline`` (a module-level cache, so the spaCy model is
loaded once per process, not once per chunk). A chunk whose worker dies is run again (up to
``retries`` times); an article that makes a stage raise becomes a ``Failure`` (E601) in its place
and the rest of its chunk goes on. Callers that store results (``eventwire ingest``) write
idempotently, so a chunk that ran twice stores nothing twice.
"""
from __future__ import annotations

import os
import resource
import sys
from collections import deque
from typing import Iterable, Iterator, Optional, Union

from .errors import ExtractionError
from .ingest.sources import Failure
from .model import Document
from .pipeline import Article

Item = Union[Article, Failure]
Result = Union[Document, Failure]

DEFAULT_CHUNK_SIZE = 16
# Runs shorter than this many articles show no progress bar unless asked.
PROGRESS_MIN_ITEMS = 200
# When stderr is a log, not a terminal: a progress line every this many articles (or
# EVENTWIRE_PROGRESS_EVERY) or seconds.
PROGRESS_EVERY_ITEMS = 1000
PROGRESS_EVERY_SECONDS = 60.0

_PIPELINE = None
_PIPELINE_KEY = None


def _pipeline(options: dict):
    """This process's Pipeline for ``options``, built on first use."""
    global _PIPELINE, _PIPELINE_KEY
    key = tuple(sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in options.items()))
    if _PIPELINE is None or _PIPELINE_KEY != key:
        from .pipeline import Pipeline

        _PIPELINE = Pipeline(**options)
        _PIPELINE_KEY = key
    return _PIPELINE


def _init_worker(options: dict) -> None:
    # One BLAS/OpenMP thread per worker: the workers are the parallelism, and oversubscribed
    # BLAS threads spin and slow everything down.
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(var, "1")
    _pipeline(options)


def _name(art: Article, index: int) -> str:
    return art.id or art.url or f"article #{index + 1}"


def run_chunk(chunk: list[tuple[int, Article]], options: dict) -> dict:
    """Documents (or Failures) for one chunk of ``(input index, article)``, in order.

    Also reports the worker's pid, peak RSS and per-component seconds (for the benchmarks)."""
    pipe = _pipeline(options)
    before = dict(pipe.timings)
    arts = [a for _, a in chunk]
    try:
        results: list[Result] = list(pipe.pipe(arts))
    except Exception:  # noqa: BLE001 - find the article that fails; the others still count
        results = []
        for i, art in chunk:
            try:
                results.append(next(pipe.pipe([art])))
            except Exception as exc:  # noqa: BLE001
                if os.environ.get("EVENTWIRE_DEBUG"):
                    raise
                reason = f"{type(exc).__name__}: {exc}"[:200]
                err = ExtractionError.e("E601", item=_name(art, i), reason=reason)
                results.append(Failure(_name(art, i), err))
    timings = {k: v - before.get(k, 0.0) for k, v in pipe.timings.items()}
    return {"results": results, "pid": os.getpid(), "timings": timings, **memory_mb()}


def memory_mb() -> dict:
    """This process's memory in MB: ``peak_rss_mb`` (the high-water mark of its resident set,
    pages shared with a parent included), and where Linux tells, ``pss_mb`` (shared pages
    divided among the processes that map them) and ``private_mb`` (pages only this process has)."""
    out = {"peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}
    try:
        with open("/proc/self/smaps_rollup", encoding="ascii") as f:
            fields = {line.split(":")[0]: int(line.split()[1]) for line in f if line.split()[-1] == "kB"}
        out["pss_mb"] = fields.get("Pss", 0) / 1024
        out["private_mb"] = (fields.get("Private_Clean", 0) + fields.get("Private_Dirty", 0)) / 1024
    except (OSError, ValueError, IndexError):
        pass
    return out


def process(articles: Iterable[Item], workers: Optional[int] = None, dask: Optional[str] = None,
            chunk_size: int = DEFAULT_CHUNK_SIZE, progress: Optional[bool] = None,
            total: Optional[int] = None, retries: int = 2, stats: Optional[dict] = None,
            **pipeline_options) -> Iterator[Result]:
    """Documents for ``articles`` (Failures passed through or made in place), in input order.

    ``workers``: processes (default: every core; 1 runs in this process). ``dask``: ``"local"``,
    ``"sync"`` or a scheduler address. ``stats``, if given, is filled with ``peak_rss_mb`` per
    worker pid, summed ``timings`` per component and ``chunks``. Other keyword arguments go to
    ``Pipeline`` (``model``, ``stages``, ``fast``).
    """
    if chunk_size < 1:
        raise ValueError("chunk_size must be at least 1")
    workers = workers or os.cpu_count() or 1
    if total is None and hasattr(articles, "__len__"):
        total = len(articles)  # type: ignore[arg-type]
    tty = sys.stderr.isatty()
    if progress is None:
        # A terminal gets a bar for long runs; a log (stderr not a terminal) gets a line now and
        # then, which a short run never reaches.
        progress = not tty or (total is not None and total >= PROGRESS_MIN_ITEMS)
    if stats is not None:
        stats.setdefault("peak_rss_mb", {})
        stats.setdefault("timings", {})
        stats.setdefault("chunks", 0)

    if dask is not None:
        runner = _DaskRunner(dask, workers, pipeline_options, retries)
    elif workers > 1:
        runner = _PoolRunner(workers, pipeline_options, retries)
    else:
        runner = _InlineRunner(pipeline_options)

    bar = None
    if progress and tty:
        from tqdm import tqdm

        bar = tqdm(total=total, unit="art", file=sys.stderr, smoothing=0.1, mininterval=1.0,
                   dynamic_ncols=True)
    elif progress:
        every = os.environ.get("EVENTWIRE_PROGRESS_EVERY", "").strip()
        bar = LogProgress(total, every=int(every)) if every.isdigit() and int(every) > 0 else LogProgress(total)
    try:
        for result in _ordered(articles, runner, chunk_size, max(2, 2 * workers), stats):
            if isinstance(bar, LogProgress):
                bar.update(1, failed=isinstance(result, Failure))
            elif bar is not None:
                bar.update(1)
            yield result
    finally:
        if bar is not None:
            bar.close()
        runner.close()


class LogProgress:
    """Progress for logs: a line on stderr every ``every`` articles or ``seconds`` seconds,
    whichever comes first, with the rate so far and (when the total is known) the ETA.

        progress: 2,000/14,396 articles (13.9%), 3.1 articles/s, 0 failed, ETA 1h06m"""

    def __init__(self, total: Optional[int] = None, every: int = PROGRESS_EVERY_ITEMS,
                 seconds: float = PROGRESS_EVERY_SECONDS, out=None, clock=None):
        import time

        self.total, self.every, self.seconds = total, every, seconds
        self.out = out or sys.stderr
        self.clock = clock or time.monotonic
        self.start = self.last_time = self.clock()
        self.n = self.last_n = self.failed = 0
        self.lines = 0

    def update(self, k: int = 1, failed: bool = False) -> None:
        self.n += k
        self.failed += bool(failed)
        now = self.clock()
        if self.n - self.last_n >= self.every or now - self.last_time >= self.seconds:
            self.emit(now)

    def line(self, now: float) -> str:
        elapsed = max(now - self.start, 1e-9)
        rate = self.n / elapsed
        done = f"{self.n:,}/{self.total:,} articles ({100 * self.n / self.total:.1f}%)" if self.total \
            else f"{self.n:,} articles"
        shown = f"{rate:.2f}" if rate < 1 else f"{rate:.1f}"  # a slow firehose still shows a rate
        text = f"progress: {done}, {shown} articles/s, {self.failed} failed"
        if self.total and rate > 0:
            text += f", ETA {_duration((self.total - self.n) / rate)}"
        else:
            text += f", {_duration(elapsed)} elapsed"
        return text

    def emit(self, now: Optional[float] = None) -> None:
        now = self.clock() if now is None else now
        print(self.line(now), file=self.out, flush=True)
        self.last_n, self.last_time = self.n, now
        self.lines += 1

    def close(self) -> None:
        if self.lines and self.n != self.last_n:  # a last line, if the log had any
            self.emit()


def _duration(seconds: float) -> str:
    seconds = int(round(seconds))
    h, rest = divmod(seconds, 3600)
    m, s = divmod(rest, 60)
    return f"{h}h{m:02d}m" if h else f"{m}m{s:02d}s"


def _chunks(articles: Iterable[Item], chunk_size: int) -> Iterator[list]:
    """Chunks as lists of ``(index, item)``; Failures ride along in place."""
    chunk = []
    for i, item in enumerate(articles):
        chunk.append((i, item))
        if len(chunk) >= chunk_size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _ordered(articles, runner, chunk_size, in_flight, stats) -> Iterator[Result]:
    pending: deque = deque()
    chunks = _chunks(articles, chunk_size)
    exhausted = False
    while True:
        while not exhausted and len(pending) < in_flight:
            chunk = next(chunks, None)
            if chunk is None:
                exhausted = True
                break
            work = [(i, a) for i, a in chunk if not isinstance(a, Failure)]
            pending.append((chunk, runner.submit(work) if work else None))
        if not pending:
            return
        chunk, handle = pending.popleft()
        out = runner.result(handle) if handle is not None else {"results": []}
        if stats is not None and handle is not None:
            stats["chunks"] += 1
            pid = out.get("pid")
            if pid is not None:
                for key in ("peak_rss_mb", "pss_mb", "private_mb"):
                    if key in out:
                        per_pid = stats.setdefault(key, {})
                        per_pid[pid] = max(per_pid.get(pid, 0.0), out[key])
            for k, v in out.get("timings", {}).items():
                stats["timings"][k] = stats["timings"].get(k, 0.0) + v
        done = iter(out["results"])
        for _, item in chunk:
            yield item if isinstance(item, Failure) else next(done)


class _InlineRunner:
    def __init__(self, options: dict):
        self.options = options

    def submit(self, work):
        return work

    def result(self, work) -> dict:
        return run_chunk(work, self.options)

    def close(self) -> None:
        pass


class _PoolRunner:
    """A local process pool; a pool broken by a dead worker is rebuilt and its chunks re-run."""

    def __init__(self, workers: int, options: dict, retries: int):
        self.workers, self.options, self.retries = workers, options, retries
        self.pool = self._new_pool()

    def _new_pool(self):
        import multiprocessing as mp
        from concurrent.futures import ProcessPoolExecutor

        methods = mp.get_all_start_methods()
        if "fork" in methods and sys.platform.startswith("linux"):
            # The model is loaded here, once, and the workers are forked from this process: they
            # share its pages copy-on-write (one copy of the weights in memory) and start at once.
            # The pool is made before any thread of ours runs (tqdm's monitor starts later), and
            # every BLAS library in use here takes one thread (_init_worker, benchmarks).
            _pipeline(self.options)
            method = "fork"
        else:
            method = "forkserver" if "forkserver" in methods else "spawn"
        return ProcessPoolExecutor(self.workers, mp_context=mp.get_context(method),
                                   initializer=_init_worker, initargs=(self.options,))

    def submit(self, work):
        return [work, self._submit(work), 0]

    def _submit(self, work):
        from concurrent.futures.process import BrokenProcessPool

        try:
            return self.pool.submit(run_chunk, work, self.options)
        except BrokenProcessPool:
            return None  # result() rebuilds the pool and submits again

    def result(self, handle) -> dict:
        from concurrent.futures.process import BrokenProcessPool

        while True:
            work, future, tries = handle
            try:
                if future is None:
                    raise BrokenProcessPool("submitted to a broken pool")
                return future.result()
            except BrokenProcessPool:
                if tries >= self.retries:
                    return {"results": [_lost(i, a, "its worker process died") for i, a in work]}
                # The other chunks in the broken pool are resubmitted by their own handles.
                if self.pool._broken:  # noqa: SLF001 - no public flag for a broken pool
                    self.pool.shutdown(wait=False, cancel_futures=True)
                    self.pool = self._new_pool()
                handle[1], handle[2] = self._submit(work), tries + 1

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)


def _lost(i: int, art: Article, reason: str) -> Failure:
    return Failure(_name(art, i), ExtractionError.e("E601", item=_name(art, i), reason=reason))


class _DaskRunner:
    """Chunks as Dask tasks; ``retries`` re-runs a chunk whose task failed."""

    def __init__(self, address: str, workers: int, options: dict, retries: int):
        self.options, self.retries = options, retries
        self.client = self.cluster = None
        if address == "sync":
            return
        from dask.distributed import Client, LocalCluster

        if address == "local":
            # One thread per worker process: spaCy holds the GIL, threads would not help.
            self.cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                        dashboard_address=None, silence_logs=40)
            self.client = Client(self.cluster)
        else:
            try:
                self.client = Client(address, timeout="20s")
            except (OSError, TimeoutError) as exc:
                raise ExtractionError.e("E602", address=address, reason=str(exc)) from None

    def submit(self, work):
        if self.client is None:
            return work
        # pure=False: the same chunk submitted twice (a re-run) must run again, not be deduplicated.
        return work, self.client.submit(run_chunk, work, self.options, retries=self.retries, pure=False)

    def result(self, handle) -> dict:
        if self.client is None:
            import dask

            return dask.delayed(run_chunk)(handle, self.options).compute(scheduler="synchronous")
        work, future = handle
        try:
            return future.result()
        except Exception as exc:  # noqa: BLE001 - a chunk that failed after its retries
            return {"results": [_lost(i, a, f"{type(exc).__name__}: {exc}"[:200]) for i, a in work]}

    def close(self) -> None:
        if self.client is not None:
            self.client.close()
        if self.cluster is not None:
            self.cluster.close()
