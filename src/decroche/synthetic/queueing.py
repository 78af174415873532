"""A FIFO multi-server queue with impatient callers, one day at a time (SPEC §3 wait,
answer rate). Plain module, no Django import.

Callers are served in arrival order by the first advisor free in one of their phone
windows; a caller whose wait would exceed their patience hangs up and takes no advisor
time. With FIFO service this "virtual waiting time" rule is exact: abandoning callers
ahead of a caller never delay them.
"""

from __future__ import annotations

import heapq

import numpy as np


def simulate(
    arrivals: np.ndarray,
    patience: np.ndarray,
    service: np.ndarray,
    windows: list[list[tuple[int, int]]],
) -> tuple[np.ndarray, np.ndarray]:
    """Start of service (or -1 when abandoned) and advisor (or -1) of each call.

    `arrivals` is sorted; `service` is talk + wrap-up; `windows[a]` are advisor a's
    sorted phone windows. Times are in seconds."""
    count = len(arrivals)
    starts = np.full(count, -1, dtype=np.int64)
    served_by = np.full(count, -1, dtype=np.int64)
    pointer = [0] * len(windows)
    heap = [(spans[0][0], advisor) for advisor, spans in enumerate(windows) if spans]
    heapq.heapify(heap)
    arrival_list = arrivals.tolist()
    patience_list = patience.tolist()
    service_list = service.tolist()
    pop, replace = heapq.heappop, heapq.heapreplace

    def free_from(advisor: int, moment: int) -> int | None:
        spans = windows[advisor]
        index = pointer[advisor]
        while index < len(spans) and spans[index][1] <= moment:
            index += 1
        pointer[advisor] = index
        if index == len(spans):
            return None
        return max(moment, spans[index][0])

    for call in range(count):
        moment = arrival_list[call]
        while heap:
            free_at, advisor = heap[0]
            if free_at >= moment:
                break
            next_free = free_from(advisor, moment)
            if next_free is None:
                pop(heap)
            elif next_free == moment:
                break
            else:
                replace(heap, (next_free, advisor))
        if not heap:
            continue
        free_at, advisor = heap[0]
        start = free_at if free_at > moment else moment
        if start - moment > patience_list[call]:
            continue
        starts[call] = start
        served_by[call] = advisor
        next_free = free_from(advisor, start + service_list[call])
        if next_free is None:
            pop(heap)
        else:
            replace(heap, (next_free, advisor))
    return starts, served_by
