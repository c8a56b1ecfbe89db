"""Sessions ⇄ documents: the one place a :class:`~reluviz.core.io.session.Session` meets the documents.

No Qt here. Saving reads the documents (never widgets); opening writes into the documents the
views already subscribe to, so each view updates through its own event handlers.

- :func:`session_from_documents` — what to save.
- :func:`network_config` — the network part alone (the one place a ``NetworkConfig`` is built).
- :func:`documents_from_session` — fresh documents for a loaded session (a script, the CLI).
- :func:`apply_session` — install a loaded session into existing documents (a script).
- :func:`apply_network_config` — the network part alone, with replay progress and Cancel (the app).
"""

from __future__ import annotations

from reluviz.core.arrays_document import ArraysDocument
from reluviz.core.explorer import validate_pair
from reluviz.core.io.session import NetworkConfig, Session
from reluviz.core.network import PRESETS
from reluviz.core.network_document import NetworkDocument, ReplayProgress

__all__ = [
    "apply_network_config",
    "apply_session",
    "documents_from_session",
    "network_config",
    "session_from_documents",
]


def network_config(network: NetworkDocument) -> NetworkConfig:
    """The network document as a session's :class:`~reluviz.core.io.session.NetworkConfig`.

    It describes the network as built (the preset, seed and batch size of the last reset) and
    its Train steps, so replaying them rebuilds exactly what was shown.
    """
    return NetworkConfig(
        layer_sizes=list(network.layer_sizes),
        seed=network.seed,
        batch_size=network.batch_size,
        preset=network.preset,
        learning_rate=network.learning_rate,
        sample=network.sample,
        whole_batch=network.whole_batch,
        trained_learning_rates=list(network.trained_learning_rates),
    )


def session_from_documents(
    arrays: ArraysDocument,
    network: NetworkDocument,
    *,
    view: dict[str, float] | None = None,
    current_view: str = "arrays",
) -> Session:
    """Everything the documents hold, as a :class:`~reluviz.core.io.session.Session` to save.

    Parameters
    ----------
    arrays, network : ArraysDocument, NetworkDocument
        The documents. The session refers to their arrays without copying (saving only reads).
    view : dict of str to float, optional
        Zoom and pan of the views (view state, not document state).
    current_view : str, default "arrays"
        The view on top.
    """
    return Session(
        z=arrays.z,
        dvalues=arrays.dvalues,
        inclusive=arrays.inclusive,
        colormap=arrays.colormap,
        z_range=arrays.z_range,
        grad_range=arrays.grad_range,
        view=dict(view or {}),
        current_view=current_view,
        precision=arrays.precision,
        network=network_config(network),
    )


def apply_session(session: Session, arrays: ArraysDocument, network: NetworkDocument) -> list[str]:
    """Install ``session`` into the documents; return notes about what could not be kept.

    The arrays document is restored as :meth:`ArraysDocument.restore` describes (an unknown
    colormap keeps the current one). An unknown network preset keeps the current network
    untouched and is reported; every other network setting was checked when the session was read.

    Returns
    -------
    list of str
        Plain-words notes for the user (empty when everything was applied).

    Raises
    ------
    reluviz.core.explorer.ShapeError
        If the arrays cannot be shown (then nothing has changed).
    """
    validate_pair(session.z, session.dvalues)  # before anything changes
    notes = apply_arrays_session(session, arrays)
    notes += apply_network_config(session.network, network) or []
    return notes


def apply_arrays_session(session: Session, arrays: ArraysDocument) -> list[str]:
    """Install the arrays part of ``session`` into ``arrays``; return notes about what was not kept.

    As :meth:`ArraysDocument.restore`: a saved range is kept when wider than the data, never
    narrower, and an unknown colormap (a newer reluviz's, or a hand-edited file) keeps the current
    one, which the note says.
    """
    arrays.restore(
        session.z, session.dvalues, inclusive=session.inclusive, colormap=session.colormap,
        z_range=session.z_range, grad_range=session.grad_range, precision=session.precision,
    )
    if session.colormap != arrays.colormap:
        return [f"Unknown colormap {session.colormap!r} in the session; kept {arrays.colormap!r}."]
    return []


def apply_network_config(
    config: NetworkConfig, network: NetworkDocument, progress: ReplayProgress | None = None
) -> list[str] | None:
    """Install a session's network part into ``network``; return notes about what could not be kept.

    An unknown preset keeps the current network untouched and is reported. With ``progress``,
    the Train steps are replayed now and may be cancelled (see :meth:`NetworkDocument.restore`).

    Returns
    -------
    list of str or None
        Plain-words notes for the user (empty when everything was applied); ``None`` when
        ``progress`` cancelled the replay (then ``network`` is unchanged).
    """
    if config.preset not in PRESETS:
        return [f"Unknown network preset {config.preset!r} in the session; kept the current network."]
    restored = network.restore(
        config.preset, config.seed, config.batch_size, config.trained_learning_rates,
        config.learning_rate, config.sample, config.whole_batch, progress=progress,
    )
    return [] if restored else None


def documents_from_session(session: Session) -> tuple[ArraysDocument, NetworkDocument, list[str]]:
    """New documents holding ``session``, and the notes of :func:`apply_session`."""
    arrays, network = ArraysDocument(), NetworkDocument()
    notes = apply_session(session, arrays, network)
    return arrays, network, notes
