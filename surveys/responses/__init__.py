"""The citizen's response: the instrument, form values, tickets, abuse signals, submission and store."""
