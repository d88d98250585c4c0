"""CPU seconds of a piece of work, for the tests that guard against a blow-up (an exponential
parse, a runaway derivative, a grader that loops): the process's own CPU time with the garbage
collector paused. Wall time is not used because on a shared 2-core machine it also counts the
wait for a core, and one CI run charged a 5 ms parse 527 ms that way."""
import gc
import time


class CpuClock:
    """``with CpuClock() as clock: ...`` then ``clock.seconds``: CPU time spent inside the block."""

    seconds: float = 0.0

    def __enter__(self) -> "CpuClock":
        self._gc_was_on = gc.isenabled()
        gc.disable()  # a collection of the whole session's objects is not the code's cost
        self._start = time.process_time()
        return self

    def __exit__(self, *exc) -> None:
        self.seconds = time.process_time() - self._start
        if self._gc_was_on:
            gc.enable()
