"""The backend that reviews declarations and issues signed certificates."""
