"""Reference data: constituency sets, the datasets of the manifest (fetch, check, cache) and the 2010 ↔ 2024 lookup."""
