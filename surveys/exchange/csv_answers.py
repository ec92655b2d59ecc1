"""Reads a CSV of SKM answers (one row per respondent, columns U1..U9) into a DataFrame.

Accepts what Indonesian offices actually export: comma or semicolon (Excel in the id-ID locale),
UTF-8 with or without BOM, header in any case and order, extra columns. Errors name the line of the
file (the header is line 1) and the column, in Bahasa Indonesia, so a clerk can fix the sheet.
"""
from __future__ import annotations

import csv
import io
import os
import re
from typing import BinaryIO, TextIO

import numpy as np
import pandas as pd

from surveys.errors import CsvAnswerError

UNSUR_CODES: tuple[str, ...] = tuple(f"U{j}" for j in range(1, 10))
_INTEGER = re.compile(r"[0-9]+")


def _error(message: str, line: int | None = None, column: str | None = None) -> CsvAnswerError:
    where = ", ".join(
        part for part in (
            f"baris {line}" if line is not None else "",
            f"kolom {column}" if column is not None else "",
        ) if part
    )
    return CsvAnswerError(f"{where}: {message}" if where else message, line=line, column=column)


def read_text(source: str | os.PathLike | BinaryIO | TextIO) -> str:
    """The whole file as text; UTF-8 with an optional BOM."""
    if isinstance(source, (str, os.PathLike)):
        with open(source, "rb") as handle:
            raw: bytes | str = handle.read()
    else:
        raw = source.read()
    if isinstance(raw, str):
        return raw.removeprefix("\ufeff")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise _error(
            "berkas bukan teks UTF-8 (simpan ulang sebagai \"CSV UTF-8\")", line=line
        ) from None


def delimiter_of(header_line: str) -> str:
    """';' when the header has more semicolons than commas (Excel id-ID), else ','."""
    return ";" if header_line.count(";") > header_line.count(",") else ","


def _header_positions(header: list[str], codes: tuple[str, ...]) -> dict[str, int]:
    """Position of each unsur column in the header, matched case-insensitively."""
    positions: dict[str, int] = {}
    wanted = {code.upper(): code for code in codes}
    for index, name in enumerate(header):
        code = wanted.get(name.strip().upper())
        if code is None:
            continue
        if code in positions:
            raise _error(f"kolom {code} muncul lebih dari sekali di header", line=1)
        positions[code] = index
    for code in codes:
        if code not in positions:
            raise _error(f"kolom {code} tidak ada di header", line=1, column=code)
    return positions


def parse_cell(cell: str, line: int, code: str) -> float:
    """An answer 1-4 as a float, NaN for a blank cell."""
    text = cell.strip()
    if not text:
        return np.nan
    if not _INTEGER.fullmatch(text):
        raise _error(f'nilai "{text}" bukan bilangan bulat 1–4', line=line, column=code)
    value = int(text)
    if not 1 <= value <= 4:
        raise _error(f'nilai "{text}" di luar rentang 1–4', line=line, column=code)
    return float(value)


def read_answers_csv(
    source: str | os.PathLike | BinaryIO | TextIO, codes: tuple[str, ...] = UNSUR_CODES
) -> pd.DataFrame:
    """One row per respondent, float columns `codes` (U1..U9), NaN = not answered.

    The index holds each row's line number in the file. Raises CsvAnswerError.
    """
    text = read_text(source)
    first_line = text.split("\n", 1)[0]
    if not text.strip():
        raise _error("berkas kosong: tidak ada header maupun jawaban")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter_of(first_line))
    try:
        header = next(reader)
        positions = _header_positions(header, codes)
        rows: list[list[float]] = []
        lines: list[int] = []
        for record in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in record):
                continue  # an empty line is no respondent
            if len(record) < len(header):
                missing = next((c for c in codes if positions[c] >= len(record)), None)
                if missing is not None:
                    raise _error(
                        f"sel tidak ada (baris ini hanya punya {len(record)} kolom, "
                        f"header punya {len(header)})",
                        line=line, column=missing,
                    )
            elif len(record) > len(header) and any(c.strip() for c in record[len(header):]):
                raise _error(
                    f"baris ini punya {len(record)} kolom, header hanya {len(header)} "
                    "(ada pemisah di dalam sel yang tidak diberi tanda kutip?)",
                    line=line,
                )
            rows.append([parse_cell(record[positions[code]], line, code) for code in codes])
            lines.append(line)
    except csv.Error as error:
        raise _error(f"CSV tidak valid ({error})", line=reader.line_num) from None
    if not rows:
        raise _error("tidak ada baris jawaban (hanya header)")
    frame = pd.DataFrame(rows, columns=list(codes), index=pd.Index(lines, name="line"))
    return frame
