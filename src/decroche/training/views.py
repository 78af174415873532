"""Pages of the training app (issue 13 point 9): thin views; each fetches and authorises
in one helper, and checks permission and scope on the server."""

from __future__ import annotations
