"""Work shared between the cores by forking.

Forked children inherit everything the parent holds (the loaded content, the catalogue, the
templates) and the function they run without copying it: only the tasks (small, such as a share
of file paths) go to them and their results come back, pickled. Where fork is
not available, or when disabled (the dev server forks nothing beside its threads), the same work
runs here, one share after the other, with the same result.

A forked worker ends when the process that forked it does, however that ends (SIGKILL included):
Linux sends it SIGKILL then (prctl PR_SET_PDEATHSIG). It ignores Ctrl+C, which the terminal
sends to every process of the build: the parent stops the pool and cleans up.
"""
from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from typing import Any, Callable, Iterator, Sequence, TypeVar

T = TypeVar("T")
R = TypeVar("R")

ENABLED = True
HERE = 1.15  # how much more work the share run in this process takes (see split)
_RUN: Callable[[Any], Any] | None = None  # what a forked worker runs (set as it starts, see submit_forked)


def cores() -> int:
    """How many shares work is split into."""
    usable = ENABLED and "fork" in multiprocessing.get_all_start_methods()
    return min(os.cpu_count() or 1, 4) if usable else 1


def forked_map(function: Callable[[T], R], shares: Sequence[T]) -> list[R]:
    """[function(share) for share in shares]: the first share here, the others in forked children;
    more shares than cores all go to cores() children, and this process only gathers (it then
    keeps none of a share's leftovers)."""
    if len(shares) < 2 or cores() < 2:
        return [function(share) for share in shares]
    if len(shares) > cores():
        pool, futures = submit_forked(function, shares, cores())
        with pool:
            return [future.result() for future in futures]
    pool, others = submit_forked(function, shares[1:], len(shares) - 1)
    with pool:
        first = function(shares[0])
        return [first] + [future.result() for future in others]


def submit_forked(
    run: Callable[[T], R], tasks: Sequence[T], workers: int, initializer: Callable[[], None] | None = None,
) -> tuple[ProcessPoolExecutor, list[Future]]:
    """A pool of forked workers doing run(task) for every task, and the future of each. run, and
    all it refers to, is inherited by the workers (only the tasks and results are pickled): each
    worker gets it as it starts, as an argument of its initializer, whenever it is forked."""
    pool = None
    try:
        with signals_held():  # no worker is forked while a Ctrl+C is handled (CPython forks them all at the first submit)
            pool = ProcessPoolExecutor(
                workers, mp_context=multiprocessing.get_context("fork"), initializer=_start_worker,
                initargs=(os.getpid(), run, initializer),
            )
            futures = [pool.submit(_run_inherited, task) for task in tasks]
        return pool, futures
    except BaseException:
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
        raise


def _run_inherited(task: Any) -> Any:
    return _RUN(task)


def start_forked(target: Callable[..., None], *args: Any) -> multiprocessing.process.BaseProcess:
    """target(*args) in a child forked now, which ends when this process does and ignores Ctrl+C,
    as the pools' workers do (target and args are inherited, not pickled)."""
    with signals_held():
        process = multiprocessing.get_context("fork").Process(target=_run_started, args=(os.getpid(), target, args), daemon=True)
        process.start()
    return process


def _run_started(parent: int, target: Callable[..., None], args: tuple) -> None:
    _start_worker(parent, None, None)
    target(*args)


STOPS = (signal.SIGINT, signal.SIGTERM)
stopped_by: int | None = None  # the stop signal received, once one has been


class Interrupted(KeyboardInterrupt):
    """Ctrl+C or SIGTERM: raised in the main thread, so every cleanup on the way out runs."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def _on_stop(signum: int, _frame: object) -> None:
    if note_stop(signum):  # the cleanup that follows runs once, undisturbed by a second signal
        raise Interrupted(signum)


def note_stop(signum: int) -> bool:
    """Note a stop signal; False when one was noted already."""
    global stopped_by
    if stopped_by is not None:
        return False
    stopped_by = signum
    return True


def catch_stop_signals() -> dict[int, Any]:
    """Ctrl+C and SIGTERM raise Interrupted from now on; the handlers they had, to put back."""
    global stopped_by
    stopped_by = None
    try:
        return {stop: signal.signal(stop, _on_stop) for stop in STOPS}
    except ValueError:  # not the main thread (a test calling the command line): as they were
        return {}


def release_stop_signals(previous: dict[int, Any]) -> None:
    """The handlers from before catch_stop_signals(), and no stop signal noted."""
    global stopped_by
    for stop, handler in previous.items():
        signal.signal(stop, handler)
    stopped_by = None


def raise_if_stopped() -> None:
    """Raise Interrupted if a stop signal came but its exception was lost: a signal's handler
    runs in whatever Python code runs then, and an exception in a __del__ is only printed."""
    if stopped_by is not None:
        raise Interrupted(stopped_by)


@contextmanager
def signals_held() -> Iterator[None]:
    """Ctrl+C and SIGTERM wait till the block ends (they are handled then, as usual)."""
    try:
        held = signal.pthread_sigmask(signal.SIG_BLOCK, STOPS)
    except (AttributeError, ValueError):  # not on this system
        yield
        return
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)


def _start_worker(parent: int, run: Callable[[Any], Any], initializer: Callable[[], None] | None) -> None:
    global _RUN
    _RUN = run
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, STOPS)  # forked while they were held
    die_with_parent(parent)
    if initializer is not None:
        initializer()


_PR_SET_PDEATHSIG = 1  # linux/prctl.h
try:
    _prctl = ctypes.CDLL(None, use_errno=True).prctl  # found now: a forked child need not load anything
except (OSError, AttributeError):
    _prctl = None


def die_with_parent(parent: int, signum: int = signal.SIGKILL) -> None:
    """This process gets signum when its parent ends (on Linux). If the parent has already
    ended, before the request was made, it ends now."""
    if _prctl is not None:
        _prctl(_PR_SET_PDEATHSIG, int(signum), 0, 0, 0)
    if os.getppid() != parent:
        os._exit(1)


def dying_with_this_process(signum: int = signal.SIGKILL, then: Callable[[], None] | None = None) -> Callable[[], None]:
    """For subprocess's preexec_fn: the started program gets signum when this process ends (and
    runs `then` first, before the program starts)."""
    parent = os.getpid()

    def prepare() -> None:
        die_with_parent(parent, signum)
        if then is not None:
            then()
    return prepare


WORKER_NICENESS = 10


def give_way() -> None:
    """Lower this process's priority (nice 10): for work that should take only what the build's
    other processes leave (the dev server's background builds)."""
    try:
        os.nice(WORKER_NICENESS)
    except (AttributeError, OSError):
        pass


def split(items: Sequence[T], weight: Callable[[T], int], parts: int, here: float = HERE) -> list[list[T]]:
    """items in at most `parts` shares, each in the items' own order. The first share, which
    forked_map runs in this process when there are no more shares than cores, weighs `here` times
    each of the others: a child also has to send its result back, and this process to read it
    (docs/performance.md: how HERE was chosen)."""
    capacity = [here if parts <= cores() else 1.0] + [1.0] * (parts - 1)
    loads = [0.0] * parts
    owner: dict[int, int] = {}
    for i in sorted(range(len(items)), key=lambda i: -weight(items[i])):
        share = min(range(parts), key=lambda k: ((loads[k] + weight(items[i])) / capacity[k], k))
        owner[i] = share
        loads[share] += weight(items[i])
    shares = [[items[i] for i in range(len(items)) if owner[i] == share] for share in range(parts)]
    return [share for share in shares if share]
