"""The painting layer (QtGui only, no widgets): theme, fonts, the heatmap renderer,
the network painter, figures, the teaching pages and the lesson deck.

Everything here paints onto any ``QPainter`` device — a widget, a ``QImage``, an SVG or PDF writer — so
the screen, the exports, the CLI and :func:`reluviz.figure` share one renderer. It never imports
``PySide6.QtWidgets`` or :mod:`reluviz.ui` (an import-linter contract in ``pyproject.toml``).
"""
