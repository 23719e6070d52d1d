"""The foundation every layer shares: problems and their places, file and folder names, page
addresses, atomic file writes, and the YAML reader with its field types."""
