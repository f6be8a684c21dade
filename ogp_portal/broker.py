"""Queueing a task from a request without waiting for the broker.

What a task works on is in the database before it is queued (the outbox's messages), and beat
runs the same work every minute: the broker only makes it start sooner. So a request hands the
task to its process's publishing thread and carries on at once. That thread sends with the
broker's own timeouts; after a failure (Redis stopped, or frozen and silent) the process stops
trying for `PAUSE_SECONDS`, and says so in the log. A task already waiting in the thread is not
queued twice. With eager tasks (no broker: development and tests) the task runs in the caller.
"""

import logging
import os
import threading
import time
from concurrent.futures import ThreadPoolExecutor

logger = logging.getLogger(__name__)

# After a failed publish, how long the process queues nothing (beat relays meanwhile).
PAUSE_SECONDS = 5


class Publisher:
    def __init__(self):
        self.lock = threading.Lock()
        self.executor: ThreadPoolExecutor | None = None
        self.waiting: set[str] = set()
        self.paused_until = 0.0

    def publish(self, task, *args) -> bool:
        """Queues `task(*args)` soon, unless the broker failed lately or it waits already."""
        if task.app.conf.task_always_eager:
            task.delay(*args)
            return True
        with self.lock:
            if time.monotonic() < self.paused_until or task.name in self.waiting:
                return False
            self.waiting.add(task.name)
            if self.executor is None:
                self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="publish")
            self.executor.submit(self._send, task, args)
        return True

    def _send(self, task, args) -> None:
        with self.lock:
            self.waiting.discard(task.name)
            if time.monotonic() < self.paused_until:
                return
        started = time.monotonic()
        try:
            task.apply_async(args)
        except Exception as error:  # the broker's reasons are many; beat relays in any case
            with self.lock:
                self.paused_until = time.monotonic() + PAUSE_SECONDS
            logger.warning(
                "Broker unreachable (%s after %.1f s): %s not queued, nothing queued for %d s; "
                "beat relays.",
                error or type(error).__name__,
                time.monotonic() - started,
                task.name,
                PAUSE_SECONDS,
            )

    def reset(self) -> None:
        """In a forked child: the parent's thread is not there."""
        self.lock = threading.Lock()
        self.executor = None
        self.waiting = set()


publisher = Publisher()
os.register_at_fork(after_in_child=publisher.reset)


def task_publish(task, *args) -> bool:
    """Queues `task(*args)` without waiting for the broker; False when it was not queued."""
    return publisher.publish(task, *args)
