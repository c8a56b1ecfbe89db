"""Exports running off the UI thread: the window's worker (:class:`ExportRunner`) and one export on
it (:class:`ExportJob`), followed by a non-modal progress dialog with Cancel.

The worker belongs to the window — a child QObject, found again with :meth:`ExportRunner.of` — and
is shut down with it (:func:`reluviz.ui.export_dialog.cancel_running_exports`), so no export
thread is hidden in a module global or outlives the window.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as WaitTimeout  # not the builtin before Python 3.11
from pathlib import Path

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from reluviz.core.io.limits import InputError
from reluviz.render.writers import ExportCancelledError, Progress

__all__ = ["ExportJob", "ExportRunner"]


class ExportRunner(QObject):
    """The window's export worker: one thread, the jobs running on it, shut down with the window.

    A child of the window (found again with :meth:`of`), so every export dialog of that window
    shares it and it never outlives the window. The thread is made on the first export and ended
    by :meth:`shutdown`; a later export makes a new one.
    """

    def __init__(self, window: QObject) -> None:
        super().__init__(window)
        self.setObjectName("export_runner")
        self._executor: ThreadPoolExecutor | None = None
        self.running: set[ExportJob] = set()

    @classmethod
    def find(cls, window: QObject) -> ExportRunner | None:
        """``window``'s runner, or ``None`` if it never exported (only its own, not a child's)."""
        return window.findChild(cls, "export_runner", Qt.FindChildOption.FindDirectChildrenOnly)

    @classmethod
    def of(cls, window: QObject) -> ExportRunner:
        """``window``'s runner, made on first use."""
        return cls.find(window) or cls(window)

    @property
    def active(self) -> bool:
        """True while the worker thread exists (from the first export until :meth:`shutdown`)."""
        return self._executor is not None

    def submit(self, job: ExportJob, work: Callable[..., Path], report: Callable[[int, int], bool]) -> Future:
        """Run ``work(report)`` on the worker thread for ``job``; the job is running until it is done."""
        if self._executor is None:
            self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="reluviz-export")
        self.running.add(job)
        return self._executor.submit(work, report)

    def shutdown(self, wait_seconds: float = 5.0) -> None:
        """Cancel every running export, wait (bounded) for them, and end the worker thread.

        Writes are atomic: a cancelled export leaves no partial file.
        """
        jobs = list(self.running)
        for job in jobs:
            job.cancel()
        finished = True
        for job in jobs:
            try:
                job.future.result(timeout=wait_seconds)
            except WaitTimeout:
                finished = False
            except Exception:
                pass  # failed or cancelled: nothing was written, and the window is closing
            self.running.discard(job)
        if self._executor is not None:
            # Join the thread only if its work has stopped; a stuck write must not hang the close.
            self._executor.shutdown(wait=finished, cancel_futures=True)
            self._executor = None


class ExportJob(QObject):
    """One export running in the worker thread, followed by a progress dialog with Cancel.

    Signals
    -------
    finished(str)
        The path written.
    failed(str)
        A one-sentence reason (also for a cancel: "Export cancelled.").
    """

    finished = Signal(str)
    failed = Signal(str)

    def __init__(self, work: Callable[[Progress], Path], label: str, parent: QWidget,
                 runner: ExportRunner | None = None) -> None:
        super().__init__(parent)
        self._runner = runner or ExportRunner.of(parent)
        self._cancel = threading.Event()
        self._done, self._total = 0, 1
        self.result: str | None = None
        self.error: str | None = None
        self.progress_dialog = QProgressDialog(label, "Cancel", 0, 100, parent)
        self.progress_dialog.setWindowTitle("Exporting")
        self.progress_dialog.setWindowModality(Qt.WindowModality.NonModal)
        self.progress_dialog.setMinimumDuration(300)
        self.progress_dialog.setAutoClose(False)
        self.progress_dialog.setAutoReset(False)
        self.progress_dialog.canceled.connect(self.cancel)
        self.progress_dialog.setValue(0)
        self._timer = QTimer(self)
        self._timer.setInterval(40)
        self._timer.timeout.connect(self._update_progress)
        self.future: Future = self._runner.submit(self, work, self._report)
        self._timer.start()

    @property
    def done(self) -> bool:
        """True once the worker has stopped (written, failed or cancelled)."""
        return self.future.done()

    def cancel(self) -> None:
        """Ask the worker to stop; the file is left as it was."""
        self._cancel.set()

    def _report(self, done: int, total: int) -> bool:  # worker thread: only plain attributes
        self._done, self._total = done, max(total, 1)
        return not self._cancel.is_set()

    def _update_progress(self) -> None:
        if not self.future.done():
            self.progress_dialog.setValue(min(99, round(100 * self._done / self._total)))
            return
        self._timer.stop()
        self.progress_dialog.canceled.disconnect(self.cancel)
        self.progress_dialog.close()
        self.progress_dialog.deleteLater()
        self._runner.running.discard(self)
        error = self.future.exception()
        if error is None:
            self.result = str(self.future.result())
            self.finished.emit(self.result)
        elif isinstance(error, ExportCancelledError):
            self.error = "Export cancelled; nothing was written."
            self.failed.emit(self.error)
        elif isinstance(error, (InputError, OSError)):
            self.error = str(error)
            self.failed.emit(self.error)
        else:
            self.error = f"Export failed: {type(error).__name__}: {error}"
            self.failed.emit(self.error)
            raise error
