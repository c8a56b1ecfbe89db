"""Colours and sizes of the two looks: the light "slide" style and a dark screen style.

``scale`` multiplies every font size, line width and margin: 1.0 on screen, larger for the
presentation style and for exports rendered at a higher resolution. ``text_scale`` enlarges text
alone (a presentation-style export: larger words in the same layout, so the cells keep their size).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from PySide6.QtGui import QColor

__all__ = ["DARK", "LIGHT", "THEMES", "Theme"]


@dataclass(frozen=True)
class Theme:
    """Everything a renderer needs to know about the look, independent of the data."""

    name: str
    background: QColor
    panel: QColor
    text: QColor
    muted: QColor
    grid: QColor
    accent: QColor
    zero_mark: QColor
    scale: float = 1.0
    text_scale: float = 1.0

    @property
    def font_scale(self) -> float:
        """What font sizes are multiplied by: the overall scale times the text-only enlargement."""
        return self.scale * self.text_scale

    def scaled(self, factor: float) -> Theme:
        """Return the same theme with fonts and lines ``factor`` times larger."""
        return replace(self, scale=self.scale * factor)


LIGHT = Theme(
    name="light",
    background=QColor("#ffffff"),
    panel=QColor("#ffffff"),
    text=QColor("#1f2328"),
    muted=QColor("#59636e"),
    grid=QColor(255, 255, 255, 200),
    accent=QColor("#f08c00"),
    zero_mark=QColor("#0b7a75"),
)
DARK = Theme(
    name="dark",
    background=QColor("#1e1f22"),
    # Darker than the mask's "blocked" slate, and light grid lines, so blocked cells stay visible.
    panel=QColor("#141518"),
    text=QColor("#e8e8e8"),
    muted=QColor("#a0a4aa"),
    grid=QColor(150, 155, 165, 170),
    accent=QColor("#ffa94d"),
    zero_mark=QColor("#3fd0c9"),
)
THEMES = {"light": LIGHT, "dark": DARK}

PRESENTATION_SCALE = 1.5
"""How much presentation style enlarges text, lines and cells (the window, exports and the CLI)."""
