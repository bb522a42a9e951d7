"""Tables of the courses app."""
