"""Background work with a progress bar (issue 12 point 8): long work leaves the request."""
