"""Drawing: the map's geometry and classes, pictures (SVG/PNG), the share card, the seat summary."""
