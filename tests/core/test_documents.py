"""The arrays and network documents, and sessions ⇄ documents: pure, no Qt.

Every change fires its event exactly once, and setting a value to what it already is fires none.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reluviz.core.arrays_document import MAX_PRECISION, ArraysDocument
from reluviz.core.colour import COLORMAPS, DEFAULT_COLORMAP, fit_range
from reluviz.core.events import Event
from reluviz.core.explorer import ExplorerModel, ShapeError
from reluviz.core.io.session import NetworkConfig, Session, load_session, save_session
from reluviz.core.network import PRESETS, NetworkRun
from reluviz.core.network.timeline import first_mixed_sample
from reluviz.core.network_document import DEFAULT_SAMPLE, NetworkDocument, ReplayCancelledError, replay_training
from reluviz.core.session_documents import (
    apply_network_config,
    apply_session,
    documents_from_session,
    network_config,
    session_from_documents,
)

DATA = Path(__file__).parents[1] / "data"
OTHER_COLORMAP = next(name for name in COLORMAPS if name != DEFAULT_COLORMAP)


class Recorder:
    """Records every event of a document as ``(event name, args)``, in order."""

    def __init__(self, events: object) -> None:
        self.calls: list[tuple[str, tuple]] = []
        for name, event in vars(events).items():
            assert isinstance(event, Event)
            event.connect(self._recorder(name))

    def _recorder(self, name: str) -> Callable[..., None]:
        return lambda *args: self.calls.append((name, args))

    def names(self) -> list[str]:
        return [name for name, _args in self.calls]

    def clear(self) -> None:
        self.calls.clear()


def same(a: np.ndarray, b: np.ndarray) -> bool:
    return a.dtype == b.dtype and a.shape == b.shape and a.tobytes() == b.tobytes()


def weights_bytes(run: NetworkRun) -> list[bytes]:
    return [layer.weights.tobytes() + layer.biases.tobytes() for layer in run.network.dense_layers]


# -- the arrays document -----------------------------------------------------------------------


def test_arrays_document_is_an_explorer_model_with_fitted_ranges():
    doc = ArraysDocument()
    assert isinstance(doc, ExplorerModel)
    assert doc.colormap == DEFAULT_COLORMAP and doc.precision == 3 and doc.operator == "<="
    assert doc.ranges == (fit_range(doc.z), fit_range(doc.dvalues)) == (8.0, 15.0)
    assert doc.shape == (3, 4)


@pytest.mark.parametrize(
    ("setter", "new", "event"),
    [("set_colormap", OTHER_COLORMAP, "colormap"), ("set_precision", 5, "precision")],
)
def test_a_setting_fires_once_per_change_and_never_for_its_current_value(setter, new, event):
    doc = ArraysDocument()
    recorder = Recorder(doc.events)
    getattr(doc, setter)(new)
    assert recorder.calls == [(event, (new,))]
    getattr(doc, setter)(new)
    assert recorder.calls == [(event, (new,))]


@pytest.mark.parametrize("bad", [0, MAX_PRECISION + 1, -3, 2.5, True, "3"])
def test_precision_out_of_range_is_refused_and_nothing_fires(bad):
    doc = ArraysDocument()
    recorder = Recorder(doc.events)
    with pytest.raises(ValueError, match="precision"):
        doc.set_precision(bad)
    assert doc.precision == 3 and recorder.calls == []


@pytest.mark.parametrize("edge", [1, MAX_PRECISION])
def test_precision_accepts_both_ends_of_its_range(edge):
    doc = ArraysDocument()
    doc.set_precision(edge)
    assert doc.precision == edge

def test_unknown_colormap_is_refused_and_nothing_fires():
    doc = ArraysDocument()
    recorder = Recorder(doc.events)
    with pytest.raises(ValueError, match="unknown colormap") as refused:
        doc.set_colormap("no-such-map")
    assert str(refused.value).endswith("known: " + ", ".join(COLORMAPS))
    assert doc.colormap == DEFAULT_COLORMAP and recorder.calls == []


def test_set_ranges_fires_once_and_not_for_the_same_ranges():
    doc = ArraysDocument()
    recorder = Recorder(doc.events)
    doc.set_ranges(20.0, 15.0)
    assert recorder.calls == [("ranges", (20.0, 15.0))]
    doc.set_ranges(20.0, 15.0)
    assert len(recorder.calls) == 1


@pytest.mark.parametrize("bad", [0.0, -1.0, float("nan"), float("inf")])
def test_bad_ranges_are_refused(bad):
    doc = ArraysDocument()
    recorder = Recorder(doc.events)
    with pytest.raises(ValueError, match="finite number greater than 0"):
        doc.set_ranges(8.0, bad)
    assert doc.ranges == (8.0, 15.0) and recorder.calls == []


def test_fit_shrinks_the_ranges_only_when_they_differ():
    doc = ArraysDocument()
    doc.set_ranges(100.0, 100.0)
    recorder = Recorder(doc.events)
    doc.fit_ranges()
    assert recorder.calls == [("ranges", (8.0, 15.0))]
    doc.fit_ranges()
    assert len(recorder.calls) == 1


def test_an_edit_inside_the_range_fires_only_cell():
    doc = ArraysDocument()
    recorder = Recorder(doc.events)
    doc.set_value("z", 0, 0, np.float64(-7.5))
    assert recorder.calls == [("cell", ("z", 0, 0))]
    assert doc.ranges == (8.0, 15.0)


def test_an_edit_beyond_the_range_grows_it_before_the_cell_handlers_run():
    doc = ArraysDocument()
    recorder = Recorder(doc.events)
    seen_in_cell_handler: list[tuple[float, float]] = []
    doc.events.cell.connect(lambda *_args: seen_in_cell_handler.append(doc.ranges))
    doc.set_value("z", 1, 2, np.float64(-9.0))
    assert recorder.calls == [("cell", ("z", 1, 2)), ("ranges", (10.0, 15.0))]
    assert seen_in_cell_handler == [(10.0, 15.0)]
    doc.set_value("dvalues", 0, 0, np.float64(16.0))
    assert doc.ranges == (10.0, 20.0)  # dvalues grows the shared gradient range, not z's


def test_a_non_finite_edit_never_grows_a_range():
    doc = ArraysDocument()
    recorder = Recorder(doc.events)
    for value in (np.nan, np.inf, -np.inf):
        doc.set_value("z", 0, 0, np.float64(value))
    assert doc.ranges == (8.0, 15.0) and recorder.names() == ["cell"] * 3


def test_new_arrays_grow_the_ranges_unless_refitted():
    doc = ArraysDocument()
    small = np.full((2, 2), 0.5)
    recorder = Recorder(doc.events)
    doc.set_arrays(small, small)  # a transform or a resize: ranges never shrink
    assert recorder.calls == [("arrays", ())] and doc.ranges == (8.0, 15.0)
    recorder.clear()
    seen: list[tuple[float, float]] = []
    doc.events.arrays.connect(lambda: seen.append(doc.ranges))
    doc.set_arrays(small, small, refit=True)  # a preset or a file: ranges start afresh
    assert recorder.calls == [("arrays", ()), ("ranges", (0.5, 0.5))]
    assert seen == [(0.5, 0.5)]
    recorder.clear()
    doc.set_arrays(small * 30, small)
    assert recorder.calls == [("arrays", ()), ("ranges", (15.0, 0.5))]


def test_the_refit_intent_does_not_outlive_its_call():
    doc = ArraysDocument()
    doc.set_arrays(np.ones((2, 2)), np.ones((2, 2)), refit=True)
    doc.set_ranges(50.0, 50.0)
    doc.set_block("z", 0, 0, np.array([[2.0]]))  # a later whole-array event must only grow
    assert doc.ranges == (50.0, 50.0)


def test_a_pasted_block_grows_the_ranges_once():
    doc = ArraysDocument()
    recorder = Recorder(doc.events)
    doc.set_block("dvalues", 1, 1, np.array([[100.0, -3.0]]))
    assert recorder.calls == [("arrays", ()), ("ranges", (8.0, 100.0))]
    assert doc.dvalues[1, 1:3].tolist() == [100.0, -3.0]


def test_refused_arrays_change_nothing_and_fire_nothing():
    doc = ArraysDocument()
    recorder = Recorder(doc.events)
    with pytest.raises(ShapeError):
        doc.set_arrays(np.ones((2, 2)), np.ones((2, 3)), refit=True)
    assert recorder.calls == [] and doc.shape == (3, 4) and doc.ranges == (8.0, 15.0)
    doc.set_block("z", 0, 0, np.array([[100.0]]))
    assert doc.ranges == (100.0, 15.0)  # the refused refit left no intent behind


def test_inclusive_fires_once_and_not_for_the_same_switch():
    doc = ArraysDocument()
    recorder = Recorder(doc.events)
    doc.set_inclusive(False)
    doc.set_inclusive(False)
    assert recorder.calls == [("inclusive", ())]


def test_restore_keeps_wider_saved_ranges_and_fires_each_event_at_most_once():
    doc = ArraysDocument()
    recorder = Recorder(doc.events)
    z = np.array([[1.0, -2.0]])
    doc.restore(z, z * 3, inclusive=False, colormap=OTHER_COLORMAP, z_range=40.0, grad_range=1.0, precision=99)
    assert recorder.names() == ["inclusive", "arrays", "ranges", "colormap", "precision"]
    # z's saved range is wider than the data: kept; dvalues' is narrower: raised to the fit.
    assert doc.ranges == (40.0, 6.0)
    assert doc.precision == MAX_PRECISION and doc.colormap == OTHER_COLORMAP and not doc.inclusive
    recorder.clear()
    doc.restore(z, z * 3, inclusive=False, colormap="no-such-map", z_range=40.0, grad_range=None, precision=12)
    assert recorder.names() == ["arrays"]  # same state again: only the arrays were installed anew
    assert doc.colormap == OTHER_COLORMAP


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["z", "dvalues"]), st.integers(0, 2), st.integers(0, 3),
                          st.floats(allow_nan=True, allow_infinity=True, width=64)), max_size=20))
def test_ranges_always_cover_every_finite_value(edits):
    doc = ArraysDocument()
    for name, row, col, value in edits:
        doc.set_value(name, row, col, np.float64(value))
    for array, half_range in ((doc.z, doc.z_range), (doc.dvalues, doc.grad_range)):
        finite = np.abs(array[np.isfinite(array)])
        assert finite.size == 0 or finite.max() <= half_range



def test_event_names_match_their_fields_and_the_constructor_takes_the_switch():
    doc = ArraysDocument(np.zeros((2, 2)), np.ones((2, 2)), inclusive=False, colormap=OTHER_COLORMAP, precision=7)
    assert {name: event.name for name, event in vars(doc.events).items()} == {
        name: name for name in ("cell", "arrays", "inclusive", "colormap", "ranges", "precision")
    }
    assert (doc.operator, doc.colormap, doc.precision) == ("<", OTHER_COLORMAP, 7)
    assert not doc.mask.any()  # 0 < 0 is False: with "<" nothing is blocked


def test_a_block_inside_the_ranges_fires_only_arrays():
    doc = ArraysDocument()
    recorder = Recorder(doc.events)
    doc.set_block("z", 0, 0, np.array([[-1.0, 2.0]]))
    assert recorder.calls == [("arrays", ())]


def test_ranges_below_one_are_fine_and_the_message_names_the_range():
    doc = ArraysDocument()
    doc.set_ranges(0.5, 0.25)
    assert doc.ranges == (0.5, 0.25)
    with pytest.raises(ValueError, match=r"^z_range is -1\.0;"):
        doc.set_ranges(-1.0, 1.0)
    with pytest.raises(ValueError, match=r"^grad_range is 0;"):
        doc.set_ranges(1.0, 0)


def test_arrays_are_copied_unless_ownership_is_handed_over():
    doc = ArraysDocument()
    z, dvalues = np.ones((2, 3)), np.ones((2, 3))
    doc.set_arrays(z, dvalues)
    assert not np.shares_memory(doc.z, z) and not np.shares_memory(doc.dvalues, dvalues)
    doc.set_arrays(z, dvalues, refit=True)
    assert not np.shares_memory(doc.z, z)
    doc.set_arrays(z, dvalues, take_ownership=True)
    assert np.shares_memory(doc.z, z) and np.shares_memory(doc.dvalues, dvalues)
    saved = np.full((2, 2), 3.0)
    doc.restore(saved, saved.copy(), inclusive=True, colormap=DEFAULT_COLORMAP, z_range=None, grad_range=None,
                precision=3)
    assert not np.shares_memory(doc.z, saved)  # a session's arrays stay the session's

# -- the network document ----------------------------------------------------------------------


def test_network_document_defaults_and_one_replay():
    doc = NetworkDocument()
    assert (doc.preset, doc.seed, doc.batch_size) == ("default", 0, None)
    assert doc.learning_rate == PRESETS["default"].learning_rate
    assert doc.trained_learning_rates == () and doc.sample == DEFAULT_SAMPLE and not doc.whole_batch
    assert doc.layer_sizes == (2, 6, 6, 3)


def test_train_steps_fire_once_each_and_replay_byte_for_byte():
    doc = NetworkDocument(seed=3)
    recorder = Recorder(doc.events)
    doc.train_step()
    doc.set_learning_rate(0.125)
    record = doc.train_step()
    assert recorder.names() == ["trained", "learning_rate", "trained"]
    assert recorder.calls[-1][1] == (record,) and record.learning_rate == 0.125
    assert doc.trained_learning_rates == (0.5, 0.125)
    # An independent replay: a NetworkRun trained step by step, as the network view did.
    by_hand = NetworkRun("default", seed=3)
    for rate in (0.5, 0.125):
        by_hand.learning_rate = rate
        by_hand.train_step()
    assert weights_bytes(doc.run) == weights_bytes(by_hand)
    replayed = replay_training("default", 3, None, [0.5, 0.125])
    assert weights_bytes(replayed) == weights_bytes(by_hand)
    assert replayed.trained_learning_rates == [0.5, 0.125] and replayed.step == 2


def test_replay_with_a_batch_size_follows_the_same_batches():
    by_hand = NetworkRun("dead", seed=1, batch_size=30)
    for _ in range(3):
        by_hand.train_step()
    replayed = replay_training("dead", 1, 30, [0.5] * 3)
    assert weights_bytes(replayed) == weights_bytes(by_hand)
    assert replayed.batch_ids().tolist() == by_hand.batch_ids().tolist()


def test_learning_rate_fires_once_and_refuses_bad_rates():
    doc = NetworkDocument()
    recorder = Recorder(doc.events)
    doc.set_learning_rate(0.25)
    doc.set_learning_rate(0.25)
    assert recorder.calls == [("learning_rate", (0.25,))]
    for bad in (0.0, -1.0, float("nan"), float("inf")):
        with pytest.raises(ValueError, match="learning rate"):
            doc.set_learning_rate(bad)
    assert doc.learning_rate == 0.25 and len(recorder.calls) == 1


def test_reset_drops_the_train_steps_and_is_silent_when_nothing_changes():
    doc = NetworkDocument()
    recorder = Recorder(doc.events)
    doc.reset()
    assert recorder.calls == []  # same settings, nothing trained: nothing to reset
    doc.train_step()
    recorder.clear()
    doc.reset()
    assert recorder.calls == [("reset", ())] and doc.trained_learning_rates == ()
    assert weights_bytes(doc.run) == weights_bytes(NetworkRun("default"))
    recorder.clear()
    doc.reset(preset="book", seed=7, batch_size=30)
    # The book's learning rate (1.0) differs from the default preset's (0.5).
    assert recorder.calls == [("reset", ()), ("learning_rate", (1.0,))]
    assert (doc.preset, doc.seed, doc.batch_size, doc.layer_sizes) == ("book", 7, 30, (2, 3, 3))
    doc.reset(batch_size=None)
    assert doc.batch_size is None


@pytest.mark.parametrize(("kwargs", "word"), [({"preset": "nope"}, "preset"), ({"seed": -1}, "seed"),
                                              ({"seed": 2**31}, "seed"), ({"batch_size": 0}, "batch size")])
def test_a_refused_reset_changes_nothing(kwargs, word):
    doc = NetworkDocument()
    doc.train_step()
    recorder = Recorder(doc.events)
    with pytest.raises(ValueError, match=word):
        doc.reset(**kwargs)
    assert recorder.calls == [] and doc.trained_learning_rates == (0.5,)


def test_sample_and_whole_batch_fire_once_and_keep_the_row():
    doc = NetworkDocument()
    recorder = Recorder(doc.events)
    doc.set_sample(4)
    doc.set_sample(4)
    doc.set_sample(None)
    doc.set_sample(None)
    assert recorder.calls == [("sample", (4, False)), ("sample", (4, True))]
    with pytest.raises(ValueError, match="sample"):
        doc.set_sample(-2)
    assert (doc.sample, doc.whole_batch) == (4, True)


def test_network_restore_replays_lazily_and_fires_each_event_at_most_once():
    doc = NetworkDocument()
    recorder = Recorder(doc.events)
    doc.restore("dead", 2, 60, [0.5, 0.25], learning_rate=0.75, sample=9, whole_batch=True)
    assert recorder.calls == [("reset", ()), ("learning_rate", (0.75,)), ("sample", (9, True))]
    assert weights_bytes(doc.run) == weights_bytes(replay_training("dead", 2, 60, [0.5, 0.25]))
    recorder.clear()
    doc.restore("dead", 2, 60, [0.5, 0.25], learning_rate=0.75, sample=9, whole_batch=True)
    assert recorder.calls == []
    with pytest.raises(ValueError, match="learning rate"):
        doc.restore("book", 0, None, [0.5, -1.0], learning_rate=0.5, sample=0, whole_batch=False)
    assert doc.preset == "dead" and recorder.calls == []


def test_replay_reports_every_step_and_a_cancel_raises():
    reports: list[tuple[int, int]] = []
    run = replay_training("default", 3, None, [0.5] * 4, progress=lambda done, total: reports.append((done, total))
                          or True)
    assert reports == [(1, 4), (2, 4), (3, 4), (4, 4)] and run.step == 4
    with pytest.raises(ReplayCancelledError):
        replay_training("default", 3, None, [0.5] * 4, progress=lambda done, total: done < 2)


def test_a_cancelled_restore_leaves_the_document_as_it_was():
    doc = NetworkDocument("dead", seed=1)
    doc.train_step()
    run, record = doc.run, doc.pass_record
    weights = weights_bytes(run)
    recorder = Recorder(doc.events)
    seen: list[int] = []
    restored = doc.restore("default", 3, None, [0.5] * 10, learning_rate=0.25, sample=4, whole_batch=True,
                           progress=lambda done, total: seen.append(done) or done < 5)
    assert not restored and seen == [1, 2, 3, 4, 5]
    assert recorder.calls == []
    assert (doc.preset, doc.seed, doc.trained_learning_rates, doc.learning_rate) == ("dead", 1, (0.5,), 0.5)
    assert doc.run is run and doc.pass_record is record and weights_bytes(doc.run) == weights
    assert (doc.sample, doc.whole_batch) == (DEFAULT_SAMPLE, False)


def test_a_restore_with_progress_replays_now_and_shows_the_last_step():
    doc = NetworkDocument()
    recorder = Recorder(doc.events)
    assert doc.restore("dead", 2, 60, [0.5, 0.25, 0.125], learning_rate=0.75, sample=9, whole_batch=False,
                       progress=lambda done, total: True)
    assert recorder.names() == ["reset", "learning_rate", "sample"]
    by_hand = replay_training("dead", 2, 60, [0.5, 0.25])
    by_hand.learning_rate = 0.125
    last = by_hand.train_step()
    assert weights_bytes(doc.run) == weights_bytes(by_hand)
    # The pass on show is the last Train step's (with its update), not a fresh evaluation.
    assert doc.pass_record.step == 2 and doc.pass_record.learning_rate == 0.125
    assert doc.pass_record.loss == last.loss


def test_pass_record_and_shown_sample_follow_the_document():
    doc = NetworkDocument("dead", seed=2)
    first = doc.pass_record
    assert first.step == 0 and first is doc.pass_record  # one first pass, kept
    opening = first_mixed_sample(first)
    assert opening > 0 and doc.opening_sample == opening and doc.shown_sample == opening
    record = doc.train_step()
    assert doc.pass_record is record
    assert doc.shown_sample == opening  # training keeps the row the network opened on
    doc.set_sample(7)
    assert doc.shown_sample == 7
    doc.set_sample(None)
    assert doc.shown_sample is None and doc.sample == 7
    doc.restore("dead", 2, 30, [], learning_rate=0.5, sample=200, whole_batch=False)
    assert doc.pass_record.batch_size == 30 and doc.shown_sample == doc.opening_sample  # 200 is beyond 30 rows
    # A restored trained network opens on the row its untrained self opened on.
    doc.restore("dead", 2, None, [0.5, 0.5], learning_rate=0.5, sample=DEFAULT_SAMPLE, whole_batch=False)
    assert doc.shown_sample == opening


def test_reset_returns_the_followed_row_to_the_opening_one_and_keeps_whole_batch():
    doc = NetworkDocument()
    doc.set_sample(5)
    recorder = Recorder(doc.events)
    doc.reset()  # nothing to rebuild, but the row goes back, as the Reset button always did
    assert recorder.calls == [("sample", (DEFAULT_SAMPLE, False))]
    doc.set_sample(None)
    recorder.clear()
    doc.reset(seed=4)
    assert recorder.calls == [("reset", ())] and doc.whole_batch and doc.shown_sample is None


def test_apply_network_config_cancelled_changes_nothing_and_reports_unknown_presets():
    network = NetworkDocument()
    config = NetworkConfig(preset="dead", seed=1, trained_learning_rates=[0.5] * 3)
    assert apply_network_config(config, network, progress=lambda done, total: False) is None
    assert network.preset == "default"
    assert apply_network_config(config, network, progress=lambda done, total: True) == []
    assert network.trained_learning_rates == (0.5, 0.5, 0.5)
    notes = apply_network_config(NetworkConfig(preset="nope"), network)
    assert notes == ["Unknown network preset 'nope' in the session; kept the current network."]


# -- sessions ⇄ documents ----------------------------------------------------------------------


def test_session_round_trip_through_a_file_restores_both_documents(tmp_path):
    arrays = ArraysDocument(np.array([[1.0, -0.0], [np.nan, -4.0]]), np.array([[1.0, 2.0], [3.0, 4.0]]))
    arrays.set_inclusive(False)
    arrays.set_colormap(OTHER_COLORMAP)
    arrays.set_precision(6)
    arrays.set_ranges(25.0, 5.0)
    network = NetworkDocument("dead", seed=5, batch_size=60)
    network.train_step()
    network.set_learning_rate(0.2)
    network.train_step()
    network.set_sample(11)
    path = tmp_path / "lesson.reluviz"
    save_session(path, session_from_documents(arrays, network, view={"arrays.fit": 1.0}, current_view="network"))

    loaded = load_session(path)
    assert loaded.current_view == "network" and loaded.view == {"arrays.fit": 1.0}
    arrays2, network2, notes = documents_from_session(loaded)
    assert notes == []
    assert same(arrays2.z, arrays.z) and same(arrays2.dvalues, arrays.dvalues)
    assert (arrays2.inclusive, arrays2.colormap, arrays2.precision, arrays2.ranges) == (False, OTHER_COLORMAP, 6,
                                                                                          (25.0, 5.0))
    assert network_config(network2) == network_config(network)
    assert weights_bytes(network2.run) == weights_bytes(network.run)


def test_network_config_describes_the_network_as_built():
    network = NetworkDocument("book", seed=0)
    network.train_step()
    assert network_config(network) == NetworkConfig(
        layer_sizes=[2, 3, 3], seed=0, batch_size=None, preset="book", learning_rate=1.0,
        sample=-1, whole_batch=False, trained_learning_rates=[1.0],
    )


def test_unknown_names_in_a_session_are_reported_and_keep_the_current_ones():
    arrays, network = ArraysDocument(), NetworkDocument()
    network.train_step()
    session = Session(colormap="sepia", network=NetworkConfig(preset="from-the-future", seed=9))
    notes = apply_session(session, arrays, network)
    assert notes == [
        f"Unknown colormap 'sepia' in the session; kept {DEFAULT_COLORMAP!r}.",
        "Unknown network preset 'from-the-future' in the session; kept the current network.",
    ]
    assert arrays.colormap == DEFAULT_COLORMAP
    assert (network.preset, network.seed, network.trained_learning_rates) == ("default", 0, (0.5,))


def test_a_session_with_unshowable_arrays_changes_nothing():
    arrays, network = ArraysDocument(), NetworkDocument()
    recorder = Recorder(arrays.events)
    with pytest.raises(ShapeError):
        apply_session(Session(z=np.ones((2, 2)), dvalues=np.ones((3, 2)), inclusive=False), arrays, network)
    assert recorder.calls == [] and arrays.inclusive


@pytest.mark.parametrize("name", ["session_v1_book.reluviz", "session_v1_minimal.reluviz",
                                  "session_v1_nan_inf.reluviz"])
def test_golden_sessions_load_into_documents(name):
    session = load_session(DATA / name)
    arrays, network, notes = documents_from_session(session)
    assert notes == []
    assert same(arrays.z, session.z) and same(arrays.dvalues, session.dvalues)
    assert arrays.inclusive == session.inclusive
    assert network.trained_learning_rates == tuple(session.network.trained_learning_rates)
    saved_again = session_from_documents(arrays, network)
    assert saved_again.network.preset == session.network.preset
