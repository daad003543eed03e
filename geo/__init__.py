"""Constituency geography: reference data, joins, metrics, maps and exports."""
