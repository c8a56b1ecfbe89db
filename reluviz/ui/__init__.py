"""The Qt side of reluviz: windows, panels, the network view and the export renderers."""
