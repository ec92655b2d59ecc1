"""`flask skm compute FILE.csv`: the IKM of a CSV of responses, as JSON or an Indonesian summary."""
from __future__ import annotations

import json

import click

from analysis import (
    WEIGHTS,
    IkmResult,
    NoRespondents,
    PopulationTooSmall,
    UnansweredUnsur,
    compute_ikm,
    round_half_up,
)
from app.cli import bp
from surveys.exchange.csv_answers import CsvAnswerError, read_answers_csv


@bp.cli.group("skm")
def skm() -> None:
    """Survei Kepuasan Masyarakat (PermenPANRB 14/2017)."""


def _number(value: float, places: int = 2) -> str:
    """A number as Indonesians write it: half-up rounding, decimal comma."""
    return str(round_half_up(value, places)).replace(".", ",")


def _interval(interval: tuple[float, float] | None, places: int = 2) -> str:
    if interval is None:
        return "tidak ada (n < 2)"
    return f"{_number(interval[0], places)} – {_number(interval[1], places)}"


def _summary(result: IkmResult) -> str:
    if result.weight == "exact":
        weight = "1/J (tepat)"
    else:
        weight = f"{result.weight.replace('.', ',')} (cara lama)"
    lines = [
        f"Indeks Kepuasan Masyarakat (IKM): {_number(result.ikm_exact)}",
        f"Mutu pelayanan: {result.mutu} (kinerja {result.kinerja})",
        f"Selang kepercayaan 95%: {_interval(result.ci95)}",
        f"Jumlah responden: {result.n}",
        f"Bobot unsur: {weight}",
        "",
        f"{'Unsur':<6} {'n':>5} {'NRR':>7}   Selang kepercayaan 95%",
    ]
    for item in result.unsur:
        lines.append(
            f"{item.code:<6} {item.n:>5} {_number(item.nrr, 3):>7}   {_interval(item.ci95, 3)}"
        )
    if result.sample is not None:
        sample = result.sample
        verdict = "memadai" if sample.adequate else "belum memadai"
        lines += [
            "",
            f"Populasi penerima layanan: {sample.population}",
            f"Target sampel (Krejcie & Morgan): {sample.target}; tercapai {result.n}: {verdict}",
            f"Margin of error (proporsi, P = 0,5): ±{_number(100 * sample.margin_of_error, 1)}%",
        ]
    return "\n".join(lines)


@skm.command("compute")
@click.argument("file", type=click.Path(dir_okay=False, allow_dash=True))
@click.option("--json", "as_json", is_flag=True, help="Cetak satu objek JSON.")
@click.option("--population", type=int, default=None,
              help="Jumlah penerima layanan pada periode "
                   "(koreksi populasi terbatas, target sampel).")
@click.option("--weight", type=click.Choice(list(WEIGHTS)), default="exact", show_default=True,
              help="Bobot unsur: tepat 1/J, atau bobot bulat laporan lama.")
def compute(file: str, as_json: bool, population: int | None, weight: str) -> None:
    """Hitung IKM dari FILE.csv.

    Satu baris per responden, kolom U1..U9 (1–4, kosong = tidak dijawab); kolom lain diabaikan.
    """
    if population is not None and population < 1:
        raise click.ClickException(f"--population harus bilangan bulat positif, bukan {population}")
    try:
        if file == "-":
            answers = read_answers_csv(click.get_binary_stream("stdin"))
        else:
            answers = read_answers_csv(file)
    except CsvAnswerError as error:
        raise click.ClickException(f"{file}: {error}") from None
    except FileNotFoundError:
        raise click.ClickException(f"berkas {file} tidak ditemukan") from None
    except OSError as error:
        raise click.ClickException(f"berkas {file} tidak dapat dibaca: {error.strerror}") from None
    try:
        result = compute_ikm(answers, weight=weight, population=population)
    except UnansweredUnsur as error:
        raise click.ClickException(
            f"{file}: kolom {error.code}: tidak ada responden yang menjawab unsur ini, "
            "sehingga IKM tidak dapat dihitung"
        ) from None
    except NoRespondents:
        raise click.ClickException(
            f"{file}: tidak ada responden yang menjawab satu unsur pun"
        ) from None
    except PopulationTooSmall as error:
        raise click.ClickException(
            f"--population {error.population} lebih kecil dari jumlah responden ({error.n})"
        ) from None
    except ValueError as error:
        raise click.ClickException(f"{file}: {error}") from None
    if as_json:
        click.echo(json.dumps(result.to_dict(), ensure_ascii=False))
    else:
        click.echo(_summary(result))
