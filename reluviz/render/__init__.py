"""Painters that draw with QtGui only (no widgets): shared by the views, exports and tests."""
