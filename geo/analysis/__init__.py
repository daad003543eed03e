"""Analysis of counts per seat: the join, metrics, breakdowns, history, unusual seats, seat profiles, comparisons."""
