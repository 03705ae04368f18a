"""The rules of the backend, one module per concern; routes stay thin and call these."""
