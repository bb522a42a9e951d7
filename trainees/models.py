"""Tables of the trainees app."""
