"""The published worked example: Kanwil Kemenag Sulawesi Barat, triwulan III, n = 29."""
from __future__ import annotations

import pandas as pd

N_RESPONDENTS = 29
# Answers per unsur as {value: count}, from the published report.
COUNTS: dict[str, dict[int, int]] = {
    "U1": {4: 18, 3: 11},
    "U2": {4: 14, 3: 15},
    "U3": {4: 15, 3: 12, 2: 2},
    "U4": {4: 29},
    "U5": {4: 15, 3: 14},
    "U6": {4: 18, 3: 11},
    "U7": {4: 19, 3: 10},
    "U8": {4: 18, 3: 11},
    "U9": {4: 28, 3: 1},
}
PUBLISHED_IKM = {"exact": 91.48, "0.111": 91.38, "0.11": 90.56}


def worked_example_rows() -> pd.DataFrame:
    """29 respondent rows built by listing each unsur's values in order.

    The report gives only counts per unsur, not who answered what. NRR and the IKM do not depend on
    how answers pair within respondents, but the interval does: interval tests use these rows.
    """
    columns = {
        code: [value for value, count in counts.items() for _ in range(count)]
        for code, counts in COUNTS.items()
    }
    assert all(len(values) == N_RESPONDENTS for values in columns.values())
    return pd.DataFrame(columns)


def worked_example_csv(delimiter: str = ",") -> str:
    """The same rows as a CSV file's text, with a comment column the reader must ignore."""
    rows = worked_example_rows()
    lines = [delimiter.join([*rows.columns, "saran"])]
    for _, row in rows.iterrows():
        lines.append(delimiter.join([*(str(int(v)) for v in row), "pelayanan baik"]))
    return "\n".join(lines) + "\n"
