"""The consulate reviewer console's screens: sign-in, queue, declaration, decision dialogs."""
