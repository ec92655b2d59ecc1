"""Statistics services over the daily roll-up: indices, officer scores, case-mix, comparisons.

Every figure comes from SQL SUM … GROUP BY over `daily_rollup`; `analysis` does the statistics.
"""
