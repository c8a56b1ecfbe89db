"""Everything that crosses core's edge: limits, files, pastes, typed cells, Python objects, sessions.

- :mod:`~reluviz.core.io.limits` — the size and dtype limits and :class:`~reluviz.core.io.limits.InputError`;
- :mod:`~reluviz.core.io.files` — safe opening and atomic writing of any file;
- :mod:`~reluviz.core.io.npy` — ``.npy`` data read without unpickling, header checked first;
- :mod:`~reluviz.core.io.array_files` — load and save one array (``.npy``, ``.csv``, ``.tsv``, ``.txt``);
- :mod:`~reluviz.core.io.paste` — table text (pastes and text files) to arrays and back, read by
  :mod:`~reluviz.core.io.paste_table` (rows of text), :mod:`~reluviz.core.io.paste_brackets`
  (NumPy reprs and nested lists) and :mod:`~reluviz.core.io.paste_cells` (one cell, one row);
- :mod:`~reluviz.core.io.cell_value` — one typed cell;
- :mod:`~reluviz.core.io.arrays_input` — Python objects handed to the API;
- :mod:`~reluviz.core.io.session` — ``.reluviz`` sessions read and written, with their settings checks in
  :mod:`~reluviz.core.io.session_checks` and their zip container in :mod:`~reluviz.core.io.session_zip`.

Plain NumPy, no Qt. Nothing is re-exported here: import from the module that holds the name.
"""
