"""Tables of the placements app."""
