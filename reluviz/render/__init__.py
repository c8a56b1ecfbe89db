"""Painting onto any QPainter device (QtGui only): the teaching pages and the lesson deck writer."""
