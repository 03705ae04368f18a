"""What the traveller app does, without drawing: the session with the backend, the draft form's
state and checks, polling, the code's facts and its exports. No Textual here: the screens and
widgets call it, and it is tested with plain pytest."""
