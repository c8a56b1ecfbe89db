"""The version of reluviz, in a module of its own so every layer can read it without importing the
package's public surface (whose lazy names reach the GUI)."""

__version__ = "0.1.0"
